"""The exercises' generated tasks: made from a seed on this machine, never downloaded.

``real_or_shuffled`` is exercise 2's many-to-one task: tell a real stretch of English prose from
the same characters in a random order. Every real line comes with its own shuffle, so the two hold
exactly the same characters: a model that only counts characters (a bag of characters) is right
for exactly half of each pair, whatever it learned. Anything better proves that it reads order.

The prose is the standard library's own: lines of Python's reference manual, shipped with every
Python as ``pydoc_data.topics``. Shapes use the course's letters: ``B`` sequences, ``T`` steps,
``D`` features. This module is infrastructure; the functions students write are not here.
"""

from __future__ import annotations

import functools

import numpy as np

#: The symbols of the task: 26 letters, the space, and "." for any other character.
SYMBOLS = "abcdefghijklmnopqrstuvwxyz ."
#: D, the number of input features: one column per symbol.
N_SYMBOLS = len(SYMBOLS)
#: Every fifth line of the manual is held out: no held-out sequence comes from a training line.
HELD_OUT_EVERY = 5


@functools.cache
def prose_lines() -> tuple[str, ...]:
    """Lines of prose from ``pydoc_data.topics``, lower-cased, with runs of spaces made single.

    Kept: lines of at least 30 characters of which at least 90 % are letters or spaces (tables,
    grammar rules and code examples are left out). Sorted and without duplicates, so that the
    same Python gives the same lines.
    """
    from pydoc_data.topics import topics  # the standard library's copy of the reference manual

    lines = set()
    for text in topics.values():
        for raw in text.splitlines():
            line = " ".join(raw.lower().split())
            plain = sum(ch in SYMBOLS[:-1] for ch in line)
            if len(line) >= 30 and plain >= 0.9 * len(line):
                lines.add(line)
    return tuple(sorted(lines))


@functools.cache
def _encoded(held_out: bool) -> tuple[np.ndarray, ...]:
    """The lines of one split as arrays of symbol indices (0..N_SYMBOLS-1)."""
    other = SYMBOLS.index(".")
    index = {ch: i for i, ch in enumerate(SYMBOLS[:-1])}
    return tuple(
        np.array([index.get(ch, other) for ch in line])
        for i, line in enumerate(prose_lines())
        if (i % HELD_OUT_EVERY == 0) == held_out
    )


def code(seed: int) -> np.ndarray:
    """The columns of the task drawn with ``seed``: symbol ``s`` is one-hot in column ``code[s]``.

    Each seed relabels the columns at random (a substitution cipher), so that a model must learn
    from the data it is given: parameters learned on one seed are useless on another.
    """
    return np.random.default_rng([seed, 2]).permutation(N_SYMBOLS)


def _stretch(lines: tuple[np.ndarray, ...], n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` consecutive symbols from a random line (lines joined by a space when one is short)."""
    space = SYMBOLS.index(" ")
    text = lines[rng.integers(len(lines))]
    while len(text) < n:
        text = np.concatenate([text, [space], lines[rng.integers(len(lines))]])
    start = rng.integers(0, len(text) - n + 1)
    return text[start : start + n]


def _shuffled(symbols: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A random order of ``symbols`` that differs from the given one (when any other exists)."""
    if len(symbols) < 2 or np.all(symbols == symbols[0]):
        return symbols.copy()  # no other order exists
    while True:
        out = rng.permutation(symbols)
        if not np.array_equal(out, symbols):
            return out


def real_or_shuffled(
    n_pairs: int,
    seed: int = 0,
    *,
    held_out: bool = False,
    min_length: int = 8,
    max_length: int = 24,
    paired: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``n_pairs`` stretches of real prose and the same stretches shuffled, one-hot and padded.

    Returns ``x`` (2 n_pairs, max_length, N_SYMBOLS) float64 one-hot, ``lengths`` (2 n_pairs,)
    int64 and ``y`` (2 n_pairs,) int64: 1 for a real stretch, 0 for its shuffle. Sequence ``i``
    is real (or shuffled) for its first ``lengths[i]`` steps, drawn uniformly from
    ``min_length..max_length``; the steps after are **padding**, and misleading on purpose: a
    real stretch is padded with shuffled characters, a shuffled one with real prose. A model
    that reads past the end of a sequence learns the opposite of the truth.

    ``seed`` fixes the draw and the column code (see :func:`code`). ``held_out=True`` draws
    from the held-out lines (every fifth line) with the same code as the training draw of the
    same seed. The rows come in random order, or with ``paired=True`` as real, shuffled, real,
    shuffled ... where rows ``2 i`` and ``2 i + 1`` hold the same characters.
    """
    if n_pairs < 1 or not 1 <= min_length <= max_length <= 30:
        raise ValueError("need n_pairs >= 1 and 1 <= min_length <= max_length <= 30")
    rng = np.random.default_rng([seed, int(held_out)])
    lines = _encoded(held_out)
    B, T = 2 * n_pairs, max_length
    symbols = np.zeros((B, T), dtype=np.int64)  # (B, T): the symbol at every step
    lengths = np.repeat(rng.integers(min_length, max_length + 1, size=n_pairs), 2)  # (B,)
    for i in range(n_pairs):
        n = lengths[2 * i]
        real = _stretch(lines, n, rng)
        pad = _stretch(lines, T - n, rng)  # real prose; the real stretch gets it shuffled
        symbols[2 * i] = np.concatenate([real, _shuffled(pad, rng)])
        symbols[2 * i + 1] = np.concatenate([_shuffled(real, rng), pad])
    y = np.tile([1, 0], n_pairs)  # (B,): 1 real, 0 shuffled
    order = np.arange(B) if paired else rng.permutation(B)
    x = np.zeros((B, T, N_SYMBOLS))
    x[np.arange(B)[:, None], np.arange(T), code(seed)[symbols]] = 1.0  # (B, T, D) one-hot
    return x[order], lengths[order], y[order]


def decode(x: np.ndarray, lengths, seed: int = 0, *, padding: bool = False) -> list[str]:
    """The text of every sequence of ``x`` (B, T, N_SYMBOLS), drawn with ``seed``.

    Only the first ``lengths[i]`` steps, or with ``padding=True`` the padding too, after a "|".
    """
    symbols = np.argsort(code(seed))[np.argmax(x, axis=-1)]  # (B, T): column -> symbol
    texts = []
    for row, n in zip(symbols, np.asarray(lengths), strict=True):
        text = "".join(SYMBOLS[s] for s in row[:n])
        texts.append(text + "|" + "".join(SYMBOLS[s] for s in row[n:]) if padding else text)
    return texts
