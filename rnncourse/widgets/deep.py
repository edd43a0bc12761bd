"""Lecture 5's widgets: the time x depth grid of a deep RNN, and a stack of EWMAs on a real series.

The grid shows what grows with depth and length (states to compute) and what does not (one set of
weights per layer). The stack of EWMAs is the linear deep RNN of the lecture (each layer
``w = 1 - alpha``, ``u = alpha``): each extra layer smooths again and trails further behind, by
``(1 - alpha) / alpha`` steps on average.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import numpy as np

from .. import diagrams, plots
from . import float_slider, int_slider, interactive_figure

MAX_T = 8  # wider grids stop fitting on a laptop screen
MAX_L = 5
MAX_DEPTH = 6  # EWMAs in the stack
ALPHA_RANGE = (0.02, 0.5)


def grid_figure(T: int, L: int):
    """The grid of an ``L``-layer RNN unrolled over ``T`` steps, with what the grid implies.

    The caption counts what grows with the grid (hidden states to compute) and what does not (the
    weights: one ``U, W, b`` per layer, shared by every step), and the length of the paths that
    carry ``x_1`` to ``y_T``: every such path climbs ``L + 1`` arrows and moves right ``T - 1`` times.
    """
    fig = diagrams.grid(T, L)
    plural = lambda n: "s" if n != 1 else ""
    fig.supxlabel(  # a figure-level label, so the layout makes room for it
        f"{T * L} hidden state{plural(T * L)} to compute, but only {L} set{plural(L)} of weights"
        f" (U, W, b),\none per layer, shared by every step."
        f" Every path from $x_1$ to $y_{{{T}}}$ crosses {T + L} arrows:\n"
        f"{L + 1} up and {T - 1} to the right.",
        fontsize=9.5,
    )
    return fig


def grid_widget(T: int = 4, L: int = 3) -> widgets.interactive:
    """Two sliders, depth ``L`` and length ``T``, redraw the grid."""
    return interactive_figure(
        lambda depth, length: grid_figure(length, depth),
        depth=int_slider(L, 1, MAX_L, "depth L (layers)"),
        length=int_slider(T, 1, MAX_T, "length T (steps)"),
    )


# --------------------------------------------------------------------------- a stack of EWMAs


def stack_weights(depth: int, alpha: float, ewma: Callable[..., np.ndarray]) -> np.ndarray:
    """The weights a stack of ``depth`` EWMAs gives the input ``k`` steps back, ``k = 0, 1, ...``.

    They are the stack's response to an impulse (1 at the first step, 0 after), computed with the
    lecture's ``ewma(x, alpha, s0)``; long enough that less than 1e-12 of the total is cut off.
    """
    n = int(depth * (1 - alpha) / alpha + 30 * np.sqrt(depth * (1 - alpha)) / alpha) + 30
    weights = np.zeros(n)
    weights[0] = 1.0
    for _ in range(depth):
        weights = np.asarray(ewma(weights, alpha, s0=0.0), dtype=float)
    return weights


def stack_delay(depth: int, alpha: float, ewma: Callable[..., np.ndarray]) -> tuple[float, float]:
    """(mean, standard deviation) of the age of the weights of a stack of ``depth`` EWMAs, in steps."""
    weights = stack_weights(depth, alpha, ewma)
    ages = np.arange(len(weights))
    mean = float((ages * weights).sum() / weights.sum())
    spread = float(np.sqrt(((ages - mean) ** 2 * weights).sum() / weights.sum()))
    return mean, spread


def ewma_stack_figure(
    values: np.ndarray,
    dates: np.ndarray,
    depth: int,
    alpha: float,
    ewma: Callable[..., np.ndarray],
    window: int = 300,
    unit: str = "USD",
):
    """A real series smoothed by ``depth`` stacked EWMAs, and the weights the stack gives the past.

    ``values``, ``dates``: (T,) the series; every layer starts from ``values[0]`` (no start-up bias).
    The top panel shows the last ``window`` steps with the first and the last layer of the stack;
    the bottom panel the stack's weights by age, with their mean (the delay) and spread printed.
    """
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must lie in 1..{MAX_DEPTH}, got {depth}")
    if not 0 < alpha < 1:
        raise ValueError("alpha must lie in (0, 1)")
    values = np.asarray(values, dtype=float)
    layers = [values]
    for _ in range(depth):
        layers.append(np.asarray(ewma(layers[-1], alpha, s0=values[0]), dtype=float))
    rough = [float(np.std(np.diff(s))) for s in (values, layers[-1])]
    mean, spread = stack_delay(depth, alpha, ewma)
    weights = stack_weights(depth, alpha, ewma)

    fig, (ax_series, ax_weights) = plots.figure(
        2, 1, figsize=(9, 6.2), gridspec_kw={"height_ratios": [1.5, 1]}
    )
    shown = slice(-window, None)
    ax_series.plot(dates[shown], values[shown], color=plots.COLORS["grey"], lw=1, label="price")
    if depth > 1:
        ax_series.plot(
            dates[shown], layers[1][shown], color=plots.COLORS["blue"], lw=1.2, label="layer 1"
        )
    ax_series.plot(
        dates[shown],
        layers[-1][shown],
        color=plots.COLORS["vermillion"],
        lw=2.2,
        label=f"layer {depth}" + (" (the top)" if depth > 1 else ""),
    )
    ax_series.legend(loc="upper left")
    plots.label(
        ax_series,
        f"{depth} stacked EWMA{'s' if depth > 1 else ''}, α = {alpha:.2f}: typical day-to-day"
        f" change {rough[0]:.1f} → {rough[1]:.2f} {unit}",
        "date",
        f"price ({unit})",
    )

    shown_ages = np.arange(min(len(weights), int(mean + 4 * spread) + 2))
    ax_weights.fill_between(
        shown_ages, weights[shown_ages], color=plots.COLORS["vermillion"], alpha=0.35, lw=0
    )
    ax_weights.plot(
        shown_ages, weights[shown_ages], color=plots.COLORS["vermillion"], label=f"layer {depth}"
    )
    if depth > 1:  # one EWMA for comparison: its largest weight is always the newest input's
        ax_weights.plot(
            shown_ages,
            alpha * (1 - alpha) ** shown_ages,
            color=plots.COLORS["blue"],
            lw=1.2,
            label="layer 1",
        )
        ax_weights.legend(loc="upper right")
    ax_weights.set_ylim(0, 1.1 * (alpha if depth > 1 else weights.max()))
    ax_weights.axvline(mean, color="black", linestyle="--", linewidth=1.2)
    ax_weights.axvspan(mean - spread, mean + spread, color=plots.COLORS["grey"], alpha=0.15, lw=0)
    ax_weights.annotate(
        f"mean delay {depth} × {1 - alpha:.2f} / {alpha:.2f} = {mean:.1f} days\n"
        f"spread ± {spread:.1f} days",
        (mean, 1),
        xycoords=("data", "axes fraction"),
        xytext=(8, -6),
        textcoords="offset points",
        va="top",
        fontsize=10,
    )
    ax_weights.set_xlim(0, shown_ages[-1])
    plots.label(
        ax_weights,
        "The weights the stack gives the past: deeper, they peak later and spread wider",
        "age k (trading days back)",
        "weight of $x_{t-k}$",
    )
    fig.suptitle(
        f"Depth {depth}: the top layer trails the price by {mean:.1f} days on average",
        fontweight="bold",
    )
    return fig


def ewma_stack_widget(
    values: np.ndarray,
    dates: np.ndarray,
    ewma: Callable[..., np.ndarray],
    depth: int = 2,
    alpha: float = 0.1,
) -> widgets.interactive:
    """Sliders for the depth of the stack and its ``alpha`` redraw :func:`ewma_stack_figure`."""
    return interactive_figure(
        lambda depth, alpha: ewma_stack_figure(values, dates, depth, alpha, ewma),
        depth=int_slider(depth, 1, MAX_DEPTH, "depth (EWMAs stacked)"),
        alpha=float_slider(alpha, *ALPHA_RANGE, 0.01, "alpha of every layer"),
    )
