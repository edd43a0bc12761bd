"""Lecture 2's widget: an EWMA over a real series, with the weights it gives the past drawn beneath."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import numpy as np

from .. import plots
from . import float_slider, interactive_figure

ALPHA_RANGE = (0.01, 1.0)  # alpha = 0 would never move; 1 copies the input
ALPHA_SLIDER = "α: weight of the newest value"  # the slider's description: what it moves
SHOWN_WEIGHT = 0.99  # by default the weights panel draws the ages that carry 99% of the weight,
MIN_AGES = 20  # and never fewer than 20 of them, so a large alpha still shows its quick decay


def ages_carrying(alpha: float, share: float) -> int:
    """The fewest ages ``0 .. K - 1`` whose weights ``alpha (1 - alpha)^k`` sum to ``share`` or more.

    The first ``K`` weights sum to ``1 - (1 - alpha)^K``, so ``K >= log(1 - share) / log(1 - alpha)``.
    """
    if alpha >= 1:
        return 1  # all the weight sits on age 0
    return max(1, int(np.ceil(np.log1p(-share) / np.log1p(-alpha))))


def percent(share: float) -> str:
    """A share as a percentage that never rounds a partial 100% up to "100%"."""
    text = f"{100 * share:.0f}%"
    return "over 99%" if text == "100%" and share < 1 else text


def ewma_figure(
    values: np.ndarray,
    dates: np.ndarray,
    alpha: float,
    ewma: Callable[..., np.ndarray],
    n_weights: int | None = None,
    ylabel: str = "price (USD)",
    label: str = "daily price",
):
    """A series with its EWMA on top, and the weights ``alpha (1 - alpha)^k`` of the past beneath.

    ``values``: (T,) the series; ``dates``: (T,) its time axis; ``ewma``: the lecture's function
    ``ewma(x, alpha, s0)`` -> (T,), called with ``s0 = values[0]`` so the curve carries no start-up
    bias. The lower panel shows the weight of the input ``k`` steps back, ``k = 0 .. n_weights - 1``,
    marks the weights' mean age ``(1 - alpha) / alpha`` when it falls inside, and says in its title
    which share of the total weight the drawn ages carry. By default (``n_weights=None``) it draws
    the ages that carry :data:`SHOWN_WEIGHT` of the total (at least :data:`MIN_AGES`), so the tail
    is never cut off unseen.
    """
    if not 0 < alpha <= 1:
        raise ValueError("alpha must lie in (0, 1]")
    values = np.asarray(values, dtype=float)
    smooth = np.asarray(ewma(values, alpha, s0=values[0]), dtype=float)
    if smooth.shape != values.shape:
        raise ValueError(f"ewma returned shape {smooth.shape}, expected {values.shape}")
    if n_weights is None:
        n_weights = max(MIN_AGES, ages_carrying(alpha, SHOWN_WEIGHT))
    ages = np.arange(n_weights)
    weights = alpha * (1 - alpha) ** ages  # (n_weights,)
    shown = 1 - (1 - alpha) ** n_weights  # the weights of ages 0 .. n_weights - 1 sum to this
    mean_age = (1 - alpha) / alpha

    fig, (ax_series, ax_weights) = plots.figure(
        2, 1, figsize=(9, 5.6), gridspec_kw={"height_ratios": [1.7, 1]}
    )
    ax_series.plot(dates, values, color=plots.COLORS["grey"], linewidth=0.9, label=label)
    ax_series.plot(dates, smooth, color=plots.COLORS["blue"], label=f"EWMA, α = {alpha:.2f}")
    plots.label(
        ax_series,
        f"α = {alpha:.2f}: the average follows the last ~{1 / alpha:.0f} steps",
        "date",
        ylabel,
    )
    ax_series.legend(loc="upper left")

    ax_weights.bar(ages, weights, width=0.8, color=plots.COLORS["orange"])
    if mean_age <= ages[-1]:
        ax_weights.axvline(
            mean_age,
            color=plots.COLORS["black"],
            linestyle="--",
            linewidth=1.2,
            label=f"mean age (1 − α)/α = {mean_age:.1f} steps",
        )
        ax_weights.legend(loc="upper right")
    plots.label(
        ax_weights,
        rf"Weights $\alpha(1-\alpha)^k$, ×{1 - alpha:.2f} per step back: "
        f"ages 0–{n_weights - 1} carry {percent(shown)} of the total",
        "age k (steps back)",
        "weight",
    )
    ax_weights.set_xlim(-0.01 * n_weights - 0.5, n_weights - 0.5)
    return fig


def ewma_widget(
    values: np.ndarray,
    dates: np.ndarray,
    ewma: Callable[..., np.ndarray],
    alpha: float = 0.1,
    ylabel: str = "price (USD)",
    label: str = "daily price",
) -> widgets.interactive:
    """An ``alpha`` slider that redraws :func:`ewma_figure`."""
    slider = float_slider(alpha, *ALPHA_RANGE, 0.01, ALPHA_SLIDER)
    slider.layout.width = "560px"  # room for the description and a long track
    return interactive_figure(
        lambda alpha: ewma_figure(values, dates, alpha, ewma, ylabel=ylabel, label=label),
        alpha=slider,
    )
