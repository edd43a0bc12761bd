"""Exercise 2's task: real prose against its own shuffle, seeded, one-hot, with misleading padding."""

from __future__ import annotations

import numpy as np
import pytest

from rnncourse import tasks


def in_symbols(line: str) -> str:
    """A line as the task spells it: letters and spaces kept, any other character a '.'."""
    return "".join(ch if ch in tasks.SYMBOLS[:-1] else "." for ch in line)


@pytest.fixture(scope="module")
def pairs():
    """Five pairs in order (real, shuffled, real, ...), with the padding decoded after a '|'."""
    x, lengths, y = tasks.real_or_shuffled(5, seed=3, paired=True)
    return x, lengths, y, tasks.decode(x, lengths, seed=3, padding=True)


def test_shapes_types_and_one_hot_steps_padding_included():
    x, lengths, y = tasks.real_or_shuffled(40, seed=1, min_length=5, max_length=12)
    assert x.shape == (80, 12, tasks.N_SYMBOLS) and x.dtype == np.float64
    assert lengths.shape == y.shape == (80,) and lengths.dtype == y.dtype == np.int64
    assert np.all(x.sum(axis=2) == 1) and set(np.unique(x)) == {0.0, 1.0}
    assert lengths.min() >= 5 and lengths.max() <= 12
    assert sorted(set(y)) == [0, 1] and y.sum() == 40  # half real, half shuffled


def test_the_same_seed_gives_the_same_draw_and_another_seed_another():
    first, again = tasks.real_or_shuffled(20, seed=7), tasks.real_or_shuffled(20, seed=7)
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    other = tasks.real_or_shuffled(20, seed=8)
    assert not np.array_equal(first[0], other[0])


def test_a_real_stretch_and_its_shuffle_hold_the_same_characters_padding_included(pairs):
    x, lengths, y, _ = pairs
    assert list(y) == [1, 0] * 5 and np.array_equal(lengths[0::2], lengths[1::2])
    real = np.arange(x.shape[1]) < lengths[:, None]
    counts = (x * real[:, :, None]).sum(axis=1)  # a bag of characters over the real steps
    assert np.array_equal(counts[0::2], counts[1::2])
    assert np.array_equal(x.sum(axis=1)[0::2], x.sum(axis=1)[1::2])  # and over all T steps
    assert not np.array_equal(x[0::2], x[1::2])


def test_so_any_order_blind_model_is_exactly_at_chance():
    x, lengths, y = tasks.real_or_shuffled(200, seed=5, paired=True)
    real = np.arange(x.shape[1]) < lengths[:, None]
    features = (x * real[:, :, None]).sum(axis=1)
    w = np.random.default_rng(0).normal(size=features.shape[1])  # any model of the counts
    guess = (features @ w > np.median(features @ w)).astype(int)
    assert np.mean(guess == y) == 0.5


def test_real_stretches_come_from_the_prose_of_their_split(pairs):
    _, lengths, _, texts = pairs
    lines = [in_symbols(line) for line in tasks.prose_lines()]
    training_lines = [line for i, line in enumerate(lines) if i % tasks.HELD_OUT_EVERY]
    for text, n in zip(texts[0::2], lengths[0::2], strict=True):
        assert any(text[:n] in line for line in training_lines), text
    x, lengths, _ = tasks.real_or_shuffled(5, seed=3, held_out=True, paired=True)
    held_out_lines = lines[:: tasks.HELD_OUT_EVERY]
    for text in tasks.decode(x[0::2], lengths[0::2], seed=3):
        assert any(text in line for line in held_out_lines), text


def test_the_padding_misleads_real_stretches_get_shuffled_text_and_shuffled_ones_real_text(pairs):
    _, lengths, _, texts = pairs
    prose = " ".join(in_symbols(line) for line in tasks.prose_lines())
    for real, shuffled, n in zip(texts[0::2], texts[1::2], lengths[0::2], strict=True):
        real_padding, shuffled_padding = real[n + 1 :], shuffled[n + 1 :]
        assert sorted(real_padding) == sorted(shuffled_padding)
        assert shuffled_padding in prose  # consecutive characters of the manual
        assert real_padding != shuffled_padding or len(set(real_padding)) <= 1


def test_each_seed_has_its_own_code_shared_by_its_held_out_draw():
    assert sorted(tasks.code(0)) == list(range(tasks.N_SYMBOLS))
    assert not np.array_equal(tasks.code(0), tasks.code(1))
    x, lengths, _ = tasks.real_or_shuffled(3, seed=11, held_out=True, paired=True)
    prose = " ".join(in_symbols(line) for line in tasks.prose_lines())
    assert tasks.decode(x[:1], lengths[:1], seed=11)[0] in prose
    assert tasks.decode(x[:1], lengths[:1], seed=12)[0] not in prose  # read with another code


def test_prose_lines_are_lower_case_prose_from_the_standard_library():
    lines = tasks.prose_lines()
    assert len(lines) > 1000 and list(lines) == sorted(set(lines))
    assert all(len(line) >= 30 and line == line.lower() and "  " not in line for line in lines)


@pytest.mark.parametrize(
    "kwargs", [{"n_pairs": 0}, {"min_length": 0}, {"min_length": 9, "max_length": 8}]
)
def test_impossible_requests_raise_value_error(kwargs):
    with pytest.raises(ValueError, match="need"):
        tasks.real_or_shuffled(**{"n_pairs": 2, **kwargs})
