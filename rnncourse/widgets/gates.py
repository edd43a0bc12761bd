"""Lecture 8's widget: the update gate's bias sets how long a GRU unit remembers.

With small weights a GRU unit's update gate is ``z = sigmoid(b_z)``, and a unit whose candidate
writes nothing keeps the fraction ``(1 - z)**k`` of its state after ``k`` steps: an EWMA whose
``alpha`` is ``z``, with effective memory ``~ 1 / z``. The gate and the update are the lecture's
mathematics, so the notebook passes them in as callables.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import numpy as np

from .. import plots
from . import float_slider, interactive_figure

BIAS_RANGE = (-6.0, 2.0)


def update_gate_figure(
    bias: float,
    gate: Callable[[np.ndarray], np.ndarray],
    hold: Callable[[float, int], np.ndarray],
    gap: int = 50,
    n_steps: int = 100,
):
    """How much of a stored value survives, for update-gate bias ``bias``.

    ``gate(b)`` maps a bias (array-like) to the update gate ``z``; ``hold(z, n)`` returns the state
    ``h_0 .. h_n`` (shape ``(n + 1,)``) of a unit that starts at 1 and writes nothing new. Left: the
    state kept after ``k`` steps, with the effective memory ``1 / z`` and the fraction left after
    ``gap`` steps. Right: the memory ``1 / z`` against the bias, on a log scale.
    """
    if not BIAS_RANGE[0] <= bias <= BIAS_RANGE[1]:
        raise ValueError(f"bias must lie in [{BIAS_RANGE[0]}, {BIAS_RANGE[1]}]")
    if not 0 < gap <= n_steps:
        raise ValueError("need 0 < gap <= n_steps")
    z = float(gate(np.asarray(bias, dtype=float)))
    kept = np.asarray(hold(z, n_steps), dtype=float)
    if kept.shape != (n_steps + 1,):
        raise ValueError(f"hold(z, {n_steps}) must return shape ({n_steps + 1},)")
    memory = 1.0 / z

    fig, (ax_kept, ax_memory) = plots.figure(1, 2, figsize=(9.5, 3.6))
    steps = np.arange(n_steps + 1)
    ax_kept.plot(steps, kept, color=plots.COLORS["orange"], label="state kept, $(1 - z)^k$")
    if memory <= n_steps:
        ax_kept.axvline(
            memory, color=plots.COLORS["grey"], linestyle="--", label=f"memory 1/z = {memory:.1f}"
        )
    ax_kept.plot(gap, kept[gap], "o", color=plots.COLORS["vermillion"])
    ax_kept.annotate(
        f"{kept[gap]:.2g} left after {gap} steps",
        (gap, kept[gap]),
        xytext=(6, 8 if kept[gap] < 0.5 else -16),  # keep clear of the curve
        textcoords="offset points",
        fontsize=9,
    )
    ax_kept.set_ylim(-0.03, 1.08)
    plots.label(
        ax_kept,
        f"b_z = {bias:+.2f}: z = {z:.3f}, memory ≈ {memory:.1f} steps",
        "steps since the value was stored, k",
        "fraction of the state kept",
    )
    ax_kept.legend(loc="center right", fontsize=9)

    biases = np.linspace(*BIAS_RANGE, 161)
    ax_memory.plot(biases, 1.0 / gate(biases), color=plots.COLORS["blue"], label="memory 1/z")
    ax_memory.plot(bias, memory, "o", color=plots.COLORS["vermillion"], label="this bias")
    ax_memory.axhline(
        gap, color=plots.COLORS["grey"], linestyle=":", label=f"the recall gap ({gap} steps)"
    )
    ax_memory.set_yscale("log")
    plots.label(
        ax_memory,
        "Below 0, each −1 of bias\nmultiplies memory by e",
        "update-gate bias b_z",
        "effective memory 1/z (steps, log)",
    )
    ax_memory.legend(loc="upper right", fontsize=9)
    return fig


def update_gate_widget(
    gate: Callable[[np.ndarray], np.ndarray],
    hold: Callable[[float, int], np.ndarray],
    gap: int = 50,
    bias: float = -3.0,
) -> widgets.interactive:
    """A slider over the update-gate bias, redrawing :func:`update_gate_figure`."""
    return interactive_figure(
        lambda bias: update_gate_figure(bias, gate, hold, gap=gap),
        bias=float_slider(bias, *BIAS_RANGE, 0.25, "update-gate bias b_z"),
    )
