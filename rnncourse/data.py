"""Every data set of the course, made or read on this machine: nothing is ever downloaded.

Real series come from the sample data that matplotlib ships (``Stocks.csv``: monthly prices of ten
tickers, 1990-2022; ``goog.npz``: daily Google prices, 2004-2008); text comes from the standard
library (the Zen of Python, and the prose of the language reference that ``pydoc`` ships); melodies,
movies and the synthetic tasks are generated from a seed.

Shapes follow the course's letters: ``T`` time steps, ``B`` sequences in a batch, ``D`` features.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import importlib
import io
import re
from dataclasses import dataclass

import numpy as np
from matplotlib import cbook

# --------------------------------------------------------------------------- real series


@dataclass(frozen=True)
class Series:
    """A named real series: ``dates`` (T,) of ``datetime64[D]`` and ``values`` (T,) float64."""

    name: str
    unit: str
    dates: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        return len(self.values)


STOCK_TICKERS = ("IBM", "AAPL", "MSFT", "XRX", "AMZN", "DELL", "GOOGL", "ADBE", "^GSPC", "^IXIC")


def load_stocks(ticker: str = "^GSPC") -> Series:
    """Monthly closing prices of one ticker from matplotlib's ``Stocks.csv``.

    The file opens with a comment line, holds a few rows with no prices at all (mid-month dates),
    and leaves tickers empty before they were listed; all of those are skipped, so the result has
    one finite value per month in date order. ``^GSPC`` is the S&P 500 index.
    """
    if ticker not in STOCK_TICKERS:
        raise ValueError(f"unknown ticker {ticker!r}; choose one of {', '.join(STOCK_TICKERS)}")
    path = cbook.get_sample_data("Stocks.csv", asfileobj=False)
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        pairs = [(row["Date"], float(row[ticker])) for row in rows if row[ticker].strip()]
    dates = np.array([d for d, _ in pairs], dtype="datetime64[D]")
    values = np.array([v for _, v in pairs], dtype=np.float64)
    order = np.argsort(dates, kind="stable")
    unit = "index points" if ticker.startswith("^") else "USD"
    return Series(f"{ticker} monthly close", unit, dates[order], values[order])


def load_goog(field: str = "adj_close") -> Series:
    """Daily Google prices (Aug 2004 - Oct 2008, trading days only) from ``goog.npz``."""
    with np.load(cbook.get_sample_data("goog.npz", asfileobj=False)) as f:
        table = f["price_data"]
    if field not in table.dtype.names or field == "date":
        names = ", ".join(n for n in table.dtype.names if n != "date")
        raise ValueError(f"unknown field {field!r}; choose one of {names}")
    unit = "shares" if field == "volume" else "USD"
    values = table[field].astype(np.float64)
    return Series(
        f"GOOG daily {field.replace('_', ' ')}", unit, table["date"].astype("M8[D]"), values
    )


# --------------------------------------------------------------------------- text


def zen_text() -> str:
    """The Zen of Python, decoded from the standard library's ``this`` module (rot13)."""
    with contextlib.redirect_stdout(io.StringIO()):  # importing `this` prints the poem
        this = importlib.import_module("this")
    return codecs.decode(this.s, "rot13")


def vocabulary(text: str) -> list[str]:
    """The sorted distinct characters of ``text``: index ``i`` stands for character ``vocab[i]``."""
    return sorted(set(text))


PROSE_ALPHABET = "\n '(),-.:;abcdefghijklmnopqrstuvwxyz"  # the 36 characters of reference_text()
_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u2013": "-", "\u2014": "-"})


def reference_text() -> str:
    """The prose of the Python language reference, as ``pydoc_data.topics`` ships it (~ 215,000 chars).

    One paragraph per line, lower case, in :data:`PROSE_ALPHABET`: code examples, grammar rules and
    tables (blocks indented by three spaces or more, or ruled with ``===``/``---``) and headings are
    left out, and every other character is dropped. Topics come in alphabetical order. The exact
    text differs a little between Python versions.
    """
    from pydoc_data.topics import topics  # the standard library's copy of the reference topics

    keep = set(PROSE_ALPHABET) - {"\n"}
    paragraphs = []
    for name in sorted(topics):
        for block in topics[name].split("\n\n"):
            lines = block.strip("\n").split("\n")
            if any(line.startswith("   ") for line in lines):
                continue  # code, grammar rules and tables are indented
            if any(set(line.strip()) <= set("=-*+| ") for line in lines):
                continue  # a heading underlined with *** or a table ruled with === or ---
            prose = " ".join(line.strip() for line in lines).translate(_TYPOGRAPHY).lower()
            prose = re.sub(" +", " ", "".join(ch for ch in prose if ch in keep)).strip()
            if len(prose) >= 40:  # shorter leftovers are mostly fragments of code
                paragraphs.append(prose)
    return "\n".join(paragraphs) + "\n"


# --------------------------------------------------------------------------- generated sequences

MAJOR_SCALE = (0, 2, 4, 5, 7, 9, 11)  # semitone steps above the tonic


def melody(n_notes: int = 32, seed: int = 0, tonic: int = 60) -> np.ndarray:
    """A random-walk melody on the C major scale, as MIDI pitches (n_notes,) int.

    Each note moves at most two scale degrees from the last (small steps, like a hummed tune),
    stays within two octaves, and the tune ends on the tonic. MIDI 60 is middle C.
    """
    if n_notes < 1:
        raise ValueError("n_notes must be at least 1")
    rng = np.random.default_rng(seed)
    degree, degrees = 7, []  # start on the tonic, one octave into a 15-degree range
    for _ in range(n_notes):
        degrees.append(degree)
        degree = int(np.clip(degree + rng.choice([-2, -1, -1, 0, 1, 1, 2]), 0, 14))
    degrees[-1] = 7
    octave, step = np.divmod(np.array(degrees), len(MAJOR_SCALE))
    return tonic - 12 + 12 * octave + np.array(MAJOR_SCALE)[step]


TUNE_RANGE = (48, 72)  # MIDI pitches of tunes(): C3 to C5, two octaves around middle C


def tunes(
    n_tunes: int, n_notes: int = 12, seed: int = 0, p_turn: float = 0.25, p_leap: float = 0.15
) -> np.ndarray:
    """Short tunes in C major, as MIDI pitches (n_tunes, n_notes) int, all from one seed.

    Each tune starts on middle C (MIDI 60) and moves along the scale in runs: at every note it turns
    round with probability ``p_turn`` and leaps a third (two scale steps) instead of a step with
    probability ``p_leap``, bouncing back at the edges of :data:`TUNE_RANGE`. It closes with a
    cadence: the second-last note is a scale neighbour of the nearest C and the last note is that C.
    So a tune never leaves the scale, its next note depends on the direction of the last move (two
    notes, not one), and its ending depends on the position in the tune.
    """
    if n_notes < 3:
        raise ValueError("a tune needs at least 3 notes: a start and the two-note cadence")
    rng = np.random.default_rng(seed)
    degrees = np.empty((n_tunes, n_notes), dtype=int)  # scale degrees 0..14; 7 is middle C
    for i in range(n_tunes):
        degree, direction = 7, int(rng.choice([-1, 1]))
        degrees[i, 0] = degree
        for t in range(1, n_notes - 2):
            if rng.random() < p_turn:
                direction = -direction
            step = direction * (2 if rng.random() < p_leap else 1)
            if not 0 <= degree + step <= 14:  # bounce back at the edge of the range
                direction, step = -direction, -step
            degree += step
            degrees[i, t] = degree
        home = min((0, 7, 14), key=lambda d: abs(d - degree))  # the nearest C
        if degree == home:  # approach it from either side, inside the range
            side = 1 if home == 0 else -1 if home == 14 else int(rng.choice([-1, 1]))
        else:
            side = 1 if degree > home else -1
        degrees[i, -2:] = home + side, home
    octave, step = np.divmod(degrees, len(MAJOR_SCALE))
    return TUNE_RANGE[0] + 12 * octave + np.array(MAJOR_SCALE)[step]


def piano_roll(pitches: np.ndarray, low: int | None = None, high: int | None = None):
    """One-hot piano roll of a melody: (T, P) with ``P = high - low + 1`` pitches, and the pitch axis.

    Row ``t`` has a single 1 at column ``pitches[t] - low``: a melody is a sequence of one-hot vectors.
    """
    pitches = np.asarray(pitches, dtype=int)
    low = int(pitches.min()) if low is None else low
    high = int(pitches.max()) if high is None else high
    if pitches.min() < low or pitches.max() > high:
        raise ValueError("every pitch must lie in [low, high]")
    roll = np.zeros((len(pitches), high - low + 1))
    roll[np.arange(len(pitches)), pitches - low] = 1.0
    return roll, np.arange(low, high + 1)


def synthesize(pitches: np.ndarray, note_seconds: float = 0.25, rate: int = 8000) -> np.ndarray:
    """Audio samples (T * note_seconds * rate,) in [-1, 1] that play the melody as soft sine tones."""
    n = int(round(note_seconds * rate))
    t = np.arange(n) / rate
    envelope = np.minimum(1.0, 20 * t) * np.exp(-3 * t)  # quick attack, gentle decay: no clicks
    freqs = 440.0 * 2.0 ** ((np.asarray(pitches) - 69) / 12)  # MIDI 69 is A4 = 440 Hz
    tones = np.sin(2 * np.pi * freqs[:, None] * t[None, :]) * envelope
    return (0.8 * tones).ravel()


def movie(n_frames: int = 24, size: int = 16, seed: int = 0, radius: float = 2.5) -> np.ndarray:
    """Frames (T, size, size) in [0, 1] of a ball bouncing inside the frame at constant speed.

    Each frame alone shows *where* the ball is; only the order of frames shows where it is going.
    """
    rng = np.random.default_rng(seed)
    lo, hi = radius, size - 1 - radius
    pos = rng.uniform(lo, hi, size=2)
    vel = rng.uniform(0.6, 1.2, size=2) * rng.choice([-1, 1], size=2)
    yy, xx = np.mgrid[0:size, 0:size]
    frames = np.empty((n_frames, size, size))
    for t in range(n_frames):
        dist2 = (yy - pos[0]) ** 2 + (xx - pos[1]) ** 2
        frames[t] = np.clip(radius + 0.5 - np.sqrt(dist2), 0.0, 1.0)  # anti-aliased disc
        pos = pos + vel
        for axis in range(2):  # reflect off the walls
            if pos[axis] < lo or pos[axis] > hi:
                vel[axis] = -vel[axis]
                pos[axis] = np.clip(pos[axis], lo, hi)
    return frames


def bouncing_balls(
    n_clips: int, n_frames: int = 12, size: int = 16, seed: int = 0, radius: float = 2.5
) -> np.ndarray:
    """Many clips like :func:`movie` at once: frames (n_clips, n_frames, size, size) in [0, 1].

    Each ball starts at a random place with a random speed of 0.6 to 1.2 pixels per frame along each
    axis and bounces off the walls; all clips come from one seed, simulated side by side.
    """
    rng = np.random.default_rng(seed)
    lo, hi = radius, size - 1 - radius
    pos = rng.uniform(lo, hi, size=(n_clips, 2))
    vel = rng.uniform(0.6, 1.2, size=(n_clips, 2)) * rng.choice([-1, 1], size=(n_clips, 2))
    path = np.empty((n_clips, n_frames, 2))  # the centre (row, column) in every frame
    for t in range(n_frames):
        path[:, t] = pos
        pos = pos + vel
        vel = np.where((pos < lo) | (pos > hi), -vel, vel)  # reflect off the walls
        pos = np.clip(pos, lo, hi)
    grid = np.arange(size)
    dist2 = (grid[:, None] - path[..., 0, None, None]) ** 2 + (
        grid[None, :] - path[..., 1, None, None]
    ) ** 2  # (n_clips, n_frames, size, size)
    return np.clip(radius + 0.5 - np.sqrt(dist2), 0.0, 1.0)  # anti-aliased discs


def ball_positions(frames: np.ndarray) -> np.ndarray:
    """Centre of brightness of each frame: frames (..., rows, cols) -> (..., 2) as (row, column)."""
    frames = np.asarray(frames, dtype=float)
    rows, cols = np.arange(frames.shape[-2]), np.arange(frames.shape[-1])
    mass = frames.sum(axis=(-2, -1))
    r = (frames.sum(axis=-1) * rows).sum(axis=-1) / mass
    c = (frames.sum(axis=-2) * cols).sum(axis=-1) / mass
    return np.stack([r, c], axis=-1)


def seasonal_series(
    n: int = 240, period: int = 12, noise: float = 0.3, trend: float = 0.01, seed: int = 0
) -> np.ndarray:
    """A noisy seasonal series (n,): ``sin(2 pi t / period) + trend * t + noise * N(0, 1)``."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return np.sin(2 * np.pi * t / period) + trend * t + noise * rng.standard_normal(n)


def recall_task(
    n_sequences: int, gap: int, seed: int = 0, n_symbols: int = 2
) -> tuple[np.ndarray, np.ndarray]:
    """A memory task: remember the first symbol across ``gap`` steps of distracting noise.

    Returns ``x`` (B, gap + 1, n_symbols + 1) and ``y`` (B,) int. At step 0 the input is the one-hot
    code of a random symbol ``y``; the next ``gap`` steps carry small noise on every channel and a 1 on
    the last channel (the "wait" marker). A model must output ``y`` after the last step, so the
    information has to survive ``gap`` steps of recurrence.
    """
    if gap < 0 or n_sequences < 1 or n_symbols < 2:
        raise ValueError("need gap >= 0, n_sequences >= 1 and n_symbols >= 2")
    rng = np.random.default_rng(seed)
    y = rng.integers(0, n_symbols, size=n_sequences)
    x = np.zeros((n_sequences, gap + 1, n_symbols + 1))
    x[np.arange(n_sequences), 0, y] = 1.0
    x[:, 1:, :n_symbols] = 0.1 * rng.standard_normal((n_sequences, gap, n_symbols))
    x[:, 1:, n_symbols] = 1.0
    return x, y
