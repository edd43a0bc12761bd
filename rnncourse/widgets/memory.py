"""Lecture 7's widget: a ``w`` slider on the gradient-decay curve |dh_t/dh_0| against t.

The linear neuron's curve is the closed form ``|w|**t``. The tanh neuron's depends on the lecture's
mathematics (a forward pass and a product of factors ``w (1 - h_t**2)``), so the notebook passes it
in as a callable.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .. import plots
from . import float_slider, interactive_figure

# tanh_curve(w, T_max) -> (T_max,) array: |dh_t/dh_0| of a tanh neuron for t = 1..T_max
Curve = Callable[[float, int], np.ndarray]
Y_RANGE = (1e-20, 1e12)  # the vertical extent: |w| <= 1.5 over 60 steps stays below 1e12


def verdict(factor: float) -> str:
    """One word for what ``factor`` (a gradient's total multiplier) did to the gradient."""
    if factor > 10:
        return "explodes"
    if factor < 0.1:
        return "vanishes"
    return "survives"


def gradient_decay_figure(w: float, tanh_curve: Curve, T_max: int = 60):
    """|dh_t/dh_0| for t = 1..T_max on a log scale: the linear neuron's ``|w|**t`` and a tanh neuron's.

    ``tanh_curve(w, T_max)`` returns the tanh neuron's values, shape (T_max,). Values outside
    ``Y_RANGE`` leave the plot (the title still quotes them).
    """
    if T_max < 1:
        raise ValueError("T_max must be at least 1")
    t = np.arange(1, T_max + 1)
    linear = np.abs(w) ** t  # (T_max,)
    tanh = np.abs(np.asarray(tanh_curve(w, T_max), dtype=float))
    if tanh.shape != (T_max,):
        raise ValueError(f"tanh_curve must return shape ({T_max},), got {tanh.shape}")

    fig, (ax,) = plots.figure(figsize=(8.5, 4))
    ax.axhline(1.0, color=plots.COLORS["grey"], linestyle="--", linewidth=1, label="unchanged (1)")
    ax.plot(t, linear, color=plots.COLORS["blue"], label=f"linear neuron: |w|^t = {abs(w):.2f}^t")
    ax.plot(t, tanh, color=plots.COLORS["orange"], label="tanh neuron: product of w (1 - h_t²)")
    ax.set_yscale("log")
    ax.set_ylim(*Y_RANGE)
    ax.set_xlim(0, T_max)
    plots.label(
        ax,
        f"w = {w:.2f}: after {T_max} steps the gradient {verdict(linear[-1])} for the linear "
        f"neuron (×{linear[-1]:.0e})\nand {verdict(tanh[-1])} for the tanh neuron (×{tanh[-1]:.0e})",
        "number of steps t between h_0 and h_t",
        "|∂h_t / ∂h_0| (log scale)",
    )
    ax.legend(loc="lower left", fontsize=9)
    return fig


def gradient_decay_widget(tanh_curve: Curve, T_max: int = 60, w: float = 0.9):
    """A slider for ``w`` (from 0.05 to 1.5) redrawing :func:`gradient_decay_figure`."""
    return interactive_figure(
        lambda w: gradient_decay_figure(w, tanh_curve, T_max),
        w=float_slider(w, 0.05, 1.5, 0.05, "recurrent weight w"),
    )
