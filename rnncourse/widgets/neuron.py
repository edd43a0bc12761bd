"""Lecture 3's widget: a recurrent neuron's output for chosen ``w`` and ``u``, with an EWMA overlaid."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import numpy as np

from .. import plots
from . import float_slider, interactive_figure

W_RANGE = (-2.0, 2.0)  # wide enough to reach every regime: flipping, fading, latching
U_RANGE = (-3.0, 3.0)
W_SLIDER = "w: weight on the previous output"  # each slider's description says what it moves
U_SLIDER = "u: weight on the input"


def memory_regime(w: float) -> str:
    """What the feedback weight ``w`` does to a tanh neuron's memory of past inputs, in words."""
    if w > 1:
        return "w > 1: the state latches"
    if w == 1:
        return "w = 1: on the edge between fading and latching"
    if w >= 0:
        return "0 ≤ w < 1: the memory fades"
    if w > -1:
        return "−1 < w < 0: the memory fades, flipping sign each step"
    if w == -1:
        return "w = −1: on the edge between fading and flipping for ever"
    return "w < −1: the state flips sign for ever"


def neuron_figure(
    x: np.ndarray,
    w: float,
    u: float,
    neuron: Callable[..., np.ndarray],
    ewma: Callable[..., np.ndarray],
    alpha: float,
    x_title: str = "The input the neuron reads, one step at a time",
):
    """The input above; below it the neuron's output ``neuron(x, w, u)`` and ``ewma(x, alpha)``.

    ``x``: (T,) the input sequence. ``neuron`` and ``ewma`` are the lecture's functions, each
    returning (T,). The EWMA keeps its own fixed ``alpha``: it is a target to match by moving
    ``w`` and ``u``, and the title reports the mean squared gap between the two curves.
    """
    x = np.asarray(x, dtype=float)
    h = np.asarray(neuron(x, w, u), dtype=float)
    s = np.asarray(ewma(x, alpha), dtype=float)
    if h.shape != x.shape or s.shape != x.shape:
        raise ValueError(f"neuron and ewma must return shape {x.shape}, got {h.shape}, {s.shape}")
    gap = float(np.mean((h - s) ** 2))
    t = np.arange(1, len(x) + 1)

    fig, (ax_x, ax_h) = plots.figure(
        2, 1, figsize=(9, 5.2), sharex=True, gridspec_kw={"height_ratios": [1, 1.8]}
    )
    ax_x.step(t, x, where="mid", color=plots.COLORS["grey"])
    plots.label(ax_x, x_title, "step t", "input $x_t$")

    ax_h.plot(t, h, color=plots.COLORS["vermillion"], label=f"neuron, w = {w:.2f}, u = {u:.2f}")
    ax_h.plot(t, s, "--", color=plots.COLORS["blue"], label=f"EWMA, α = {alpha:.2f}")
    for bound in (-1, 1):
        ax_h.axhline(bound, color=plots.COLORS["black"], linestyle=":", linewidth=1)
    limit = max(1.15, 1.05 * float(np.max(np.abs(s))))  # fixed, so slider moves compare
    ax_h.set_ylim(-limit, limit)
    plots.label(
        ax_h,
        f"{memory_regime(w)}   (mean squared gap to the EWMA: {gap:.4f})",
        "step t",
        "output $h_t$ or $s_t$",
    )
    ax_h.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2)
    return fig


def neuron_widget(
    x: np.ndarray,
    neuron: Callable[..., np.ndarray],
    ewma: Callable[..., np.ndarray],
    alpha: float = 0.2,
    w: float = 0.5,
    u: float = 1.0,
    x_title: str = "The input the neuron reads, one step at a time",
) -> widgets.interactive:
    """Sliders for ``w`` and ``u`` that redraw :func:`neuron_figure` against a fixed-``alpha`` EWMA."""
    sliders = {
        "w": float_slider(w, *W_RANGE, 0.05, W_SLIDER),
        "u": float_slider(u, *U_RANGE, 0.05, U_SLIDER),
    }
    for slider in sliders.values():
        slider.layout.width = "560px"  # room for the description and a long track
    return interactive_figure(
        lambda w, u: neuron_figure(x, w, u, neuron, ewma, alpha, x_title=x_title), **sliders
    )
