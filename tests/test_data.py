"""The data loaders return real, ordered, finite data; the generators are seeded and well-formed."""

from __future__ import annotations

import numpy as np
import pytest

from rnncourse import data


def test_stocks_skip_comment_and_empty_rows_and_keep_date_order():
    sp = data.load_stocks("^GSPC")
    assert sp.dates[0] == np.datetime64("1990-01-01")
    assert np.all(np.diff(sp.dates).astype(int) > 0)
    assert np.all(np.isfinite(sp.values)) and np.all(sp.values > 0)
    # the file has rows such as 1990-02-05 with no prices at all: they must be gone
    assert np.datetime64("1990-02-05") not in sp.dates
    assert sp.values[0] == pytest.approx(329.0799865722656)


def test_stocks_ticker_listed_late_starts_late():
    googl = data.load_stocks("GOOGL")
    assert googl.dates[0] > np.datetime64("2004-01-01")  # listed in 2004: earlier rows are empty
    assert len(googl) < len(data.load_stocks("IBM"))


def test_stocks_unknown_ticker_says_which_exist():
    with pytest.raises(ValueError, match="AAPL"):
        data.load_stocks("TSLA")


def test_goog_daily_prices():
    goog = data.load_goog()
    assert len(goog) == 1047
    assert goog.dates[0] == np.datetime64("2004-08-19") and goog.values[0] == pytest.approx(100.34)
    assert np.all(np.diff(goog.dates).astype(int) >= 1)
    with pytest.raises(ValueError, match="adj_close"):
        data.load_goog("date")


def test_zen_text_is_decoded():
    zen = data.zen_text()
    assert zen.startswith("The Zen of Python, by Tim Peters")
    assert "Beautiful is better than ugly." in zen
    vocab = data.vocabulary(zen)
    assert vocab == sorted(set(zen)) and "\n" in vocab


def test_reference_text_is_long_lower_case_prose_in_its_alphabet():
    text = data.reference_text()
    assert len(text) > 150_000  # large enough that a small model cannot learn it by heart
    assert set(text) <= set(data.PROSE_ALPHABET) and len(data.PROSE_ALPHABET) == 36
    assert "an assignment statement evaluates the expression list" in text
    assert not any(line.startswith(" ") or len(line) < 40 for line in text.splitlines())
    assert text == data.reference_text()


def test_melody_is_seeded_on_the_scale_and_ends_on_the_tonic():
    a, b = data.melody(40, seed=3), data.melody(40, seed=3)
    assert np.array_equal(a, b) and not np.array_equal(a, data.melody(40, seed=4))
    assert set(np.mod(a, 12)) <= {0, 2, 4, 5, 7, 9, 11}
    assert a[0] == 60 and a[-1] == 60 and len(a) == 40


def test_tunes_are_seeded_in_c_major_and_close_with_a_cadence():
    tunes = data.tunes(200, n_notes=12, seed=1)
    assert tunes.shape == (200, 12) and np.array_equal(tunes, data.tunes(200, n_notes=12, seed=1))
    assert not np.array_equal(tunes, data.tunes(200, n_notes=12, seed=2))
    assert set(np.mod(tunes, 12).ravel()) == {0, 2, 4, 5, 7, 9, 11}  # the whole scale, nothing else
    low, high = data.TUNE_RANGE
    assert tunes.min() >= low and tunes.max() <= high
    assert np.all(tunes[:, 0] == 60) and np.all(tunes[:, -1] % 12 == 0)  # from middle C to a C
    scale = [p for p in range(low, high + 1) if p % 12 in data.MAJOR_SCALE]  # the 15 white keys
    degree = np.searchsorted(scale, tunes)  # (200, 12): position on the scale
    assert np.all(np.abs(degree[:, -1] - degree[:, -2]) == 1)  # the cadence: a step onto the C
    assert np.abs(np.diff(degree[:, :-2], axis=1)).max() == 2  # runs of steps and leaps of a third
    with pytest.raises(ValueError, match="3 notes"):
        data.tunes(1, n_notes=2)


def test_piano_roll_is_one_hot_and_decodes():
    pitches = np.array([60, 64, 62, 67])
    roll, keys = data.piano_roll(pitches)
    assert roll.shape == (4, 8) and np.all(roll.sum(axis=1) == 1)
    assert np.array_equal(keys[roll.argmax(axis=1)], pitches)
    with pytest.raises(ValueError):
        data.piano_roll(pitches, low=62)


def test_synthesize_plays_the_right_frequency():
    rate = 8000
    sound = data.synthesize(np.array([69]), note_seconds=1.0, rate=rate)  # A4
    spectrum = np.abs(np.fft.rfft(sound))
    peak_hz = np.argmax(spectrum) * rate / len(sound)
    assert peak_hz == pytest.approx(440, abs=2)
    assert np.abs(sound).max() <= 1


def test_movie_ball_moves_stays_inside_and_is_seeded():
    frames = data.movie(30, size=16, seed=5)
    assert frames.shape == (30, 16, 16) and frames.min() >= 0 and frames.max() <= 1
    pos = data.ball_positions(frames)
    assert np.all((pos > 1) & (pos < 14))
    assert np.all(np.linalg.norm(np.diff(pos, axis=0), axis=1) > 0.3)  # it never stands still
    assert np.array_equal(frames, data.movie(30, size=16, seed=5))


def test_bouncing_balls_move_at_constant_speed_between_bounces_and_are_seeded():
    frames = data.bouncing_balls(50, n_frames=20, size=16, seed=4)
    assert frames.shape == (50, 20, 16, 16) and frames.min() >= 0 and frames.max() <= 1
    assert np.array_equal(frames, data.bouncing_balls(50, n_frames=20, size=16, seed=4))
    pos = data.ball_positions(frames)  # (50, 20, 2)
    assert pos.shape == (50, 20, 2) and np.all((pos > 2) & (pos < 13))
    velocity = np.diff(pos, axis=1)  # (50, 19, 2)
    speed = np.abs(velocity)
    assert speed.max() < 1.3 and np.median(speed) > 0.6  # 0.6 to 1.2 pixels a frame per axis
    assert np.any(np.sign(velocity[:, 1:]) != np.sign(velocity[:, :-1]))  # some balls bounce


def test_ball_positions_of_a_batch_equal_those_of_each_clip():
    frames = data.bouncing_balls(3, n_frames=5, seed=0)
    each = np.stack([data.ball_positions(clip) for clip in frames])
    assert np.array_equal(data.ball_positions(frames), each)


def test_ball_positions_finds_a_single_pixel():
    frames = np.zeros((1, 5, 7))
    frames[0, 3, 1] = 1
    assert np.array_equal(data.ball_positions(frames), [[3.0, 1.0]])


def test_seasonal_series_has_its_period():
    x = data.seasonal_series(n=480, period=12, noise=0.1, trend=0.0, seed=1)
    spectrum = np.abs(np.fft.rfft(x - x.mean()))
    assert np.argmax(spectrum) == 480 // 12


def test_recall_task_layout():
    x, y = data.recall_task(50, gap=6, seed=2, n_symbols=3)
    assert x.shape == (50, 7, 4) and y.shape == (50,)
    assert np.array_equal(x[:, 0, :3].argmax(axis=1), y)  # the symbol is shown at step 0 only
    assert np.all(x[:, 0, 3] == 0) and np.all(x[:, 1:, 3] == 1)
    assert np.abs(x[:, 1:, :3]).max() < 1
    assert len(set(y)) == 3
