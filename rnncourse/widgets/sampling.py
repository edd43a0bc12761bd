"""Lecture 9's widget: how the sampling temperature reshapes a language model's next-character guess.

The mathematics (the softmax with a temperature, the trained model, the sampler) lives in the
notebook; this module only draws what the notebook's callables return.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as widgets
import numpy as np

from .. import plots
from . import float_slider, int_slider, interactive_figure

# Characters that would draw as nothing get a visible stand-in on the axis.
VISIBLE = {" ": "␣", "\n": "↵", "\t": "⇥"}
LINE_WIDTH = 100  # characters per line of the sample panel before it wraps


def show_char(ch: str) -> str:
    """The character itself, or a visible symbol for a space, a newline or a tab."""
    return VISIBLE.get(ch, ch)


def wrap_lines(text: str, width: int = LINE_WIDTH) -> str:
    """Break every line of ``text`` longer than ``width`` into pieces (display only)."""
    pieces = []
    for line in text.split("\n"):
        pieces += [line[i : i + width] for i in range(0, max(len(line), 1), width)]
    return "\n".join(pieces)


def temperature_figure(
    probabilities: Callable[[float], np.ndarray],
    sample: Callable[[float, int, int], str],
    vocab: Sequence[str],
    temperature: float,
    seed: int,
    *,
    length: int = 160,
    context: str = "",
):
    """Bars of the next-character distribution at ``temperature`` and a text sampled at it.

    ``probabilities(temperature)`` returns the next-character probabilities, shape (V,), that follow
    ``context`` (in the lecture: ``softmax(logits / temperature)``); ``sample(temperature, seed,
    length)`` returns a sampled string; ``vocab`` holds the V characters in index order. The
    distribution at ``T = 1`` is marked on every bar for comparison.
    """
    if temperature <= 0:
        raise ValueError("the temperature must be positive")
    p = np.asarray(probabilities(temperature), dtype=float)
    reference = np.asarray(probabilities(1.0), dtype=float)
    for name, q in (("probabilities", p), ("reference", reference)):
        if q.shape != (len(vocab),):
            raise ValueError(f"{name}: expected shape ({len(vocab)},), got {q.shape}")
        if not (np.all(q >= 0) and np.isclose(q.sum(), 1.0)):
            raise ValueError(
                f"{name}: not a probability distribution (negative or not summing to 1)"
            )

    fig, (ax_bars, ax_text) = plots.figure(
        2, 1, figsize=(9.5, 4.6), gridspec_kw={"height_ratios": [1.8, 1]}
    )
    positions = np.arange(len(vocab))
    ax_bars.bar(positions, p, color=plots.COLORS["blue"], label=f"T = {temperature:.2f}")
    ax_bars.plot(
        positions,
        reference,
        "_",
        color=plots.COLORS["black"],
        markersize=9,
        markeredgewidth=1.6,
        label="T = 1 (the model's own distribution)",
    )
    ax_bars.set_xticks(positions, [show_char(c) for c in vocab], fontsize=9)
    ax_bars.set_ylim(0, 1.02)
    ax_bars.grid(axis="x", visible=False)  # one gridline per character would only add clutter
    top = int(p.argmax())
    effect = "sharpens" if temperature < 1 else "flattens" if temperature > 1 else "keeps"
    plots.label(
        ax_bars,
        f"T = {temperature:.2f} {effect} the distribution: "
        f"'{show_char(vocab[top])}' gets {p[top]:.0%} of the probability",
        f'next character after "{context[-30:]}"' if context else "next character",
        "probability",
    )
    ax_bars.legend(loc="upper left", fontsize=9)

    text = sample(temperature, seed, length)
    ax_text.axis("off")
    ax_text.set_title(
        f"A sample drawn at T = {temperature:.2f} (seed {seed})", loc="left", fontsize=11
    )
    ax_text.text(
        0.0,
        1.0,
        wrap_lines(text),
        transform=ax_text.transAxes,
        va="top",
        ha="left",
        family="monospace",
        fontsize=9,
    )
    return fig


def temperature_widget(
    probabilities: Callable[[float], np.ndarray],
    sample: Callable[[float, int, int], str],
    vocab: Sequence[str],
    *,
    length: int = 160,
    context: str = "",
) -> widgets.interactive:
    """A temperature slider and a seed slider over :func:`temperature_figure`."""
    return interactive_figure(
        lambda temperature, seed: temperature_figure(
            probabilities, sample, vocab, temperature, seed, length=length, context=context
        ),
        temperature=float_slider(1.0, 0.1, 2.0, 0.05, "sampling temperature T"),
        seed=int_slider(0, 0, 20, "random seed of the sample"),
    )
