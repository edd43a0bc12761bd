"""Lecture 4's widget: the unrolled network grows with T; its weights and their number do not.

The figure shows the network unrolled over ``T`` steps on a fixed canvas (so it visibly grows), the
recurrent weights ``W`` with their values printed (the same numbers whatever ``T``), and two counts
against ``T``: the parameters (flat) and the multiply-adds of one forward pass (growing).
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import diagrams, plots
from . import int_slider, interactive_figure

MAX_T = 8  # the canvas is drawn for this many steps, so a longer chain fits without rescaling


def costs(params: dict[str, np.ndarray], T: int) -> tuple[int, int]:
    """(parameters, multiply-adds) of one sequence of ``T`` steps through a layer with a readout.

    ``params``: {"W": (H, H), "U": (H, D), "b": (H,), "V": (K, H), "c": (K,)}. Each step computes
    ``h_prev @ W.T``, ``x_t @ U.T`` and ``h_t @ V.T``: every weight of W, U and V is multiplied
    exactly once, so a step costs ``W.size + U.size + V.size`` multiply-adds (biases are additions).
    """
    n_params = int(sum(np.size(p) for p in params.values()))
    per_step = int(sum(np.size(params[k]) for k in ("W", "U", "V")))
    return n_params, T * per_step


def unrolled_cost_figure(T: int, params: dict[str, np.ndarray]):
    """The network unrolled over ``T`` steps, its weights ``W``, and its costs for T = 1..MAX_T."""
    if not 1 <= T <= MAX_T:
        raise ValueError(f"T must lie in 1..{MAX_T}, got {T}")
    W = np.asarray(params["W"])
    n_params, macs = costs(params, T)
    per_step = macs // T
    fig = plots.figure(figsize=(9.5, 7.0))[0]
    fig.clear()  # a grid of our own: the diagram across the top, two panels beneath
    grid = fig.add_gridspec(2, 2, height_ratios=[1.25, 1], width_ratios=[1, 1.5])
    ax_net = fig.add_subplot(grid[0, :])
    ax_w, ax_cost = fig.add_subplot(grid[1, 0]), fig.add_subplot(grid[1, 1])

    diagrams.draw(diagrams.unrolled_graph(T), ax_net)
    ax_net.set_xlim(-0.8, MAX_T + 0.8)  # a fixed canvas: the chain grows into it
    ax_net.set_ylim(-0.7, 2.7)
    ax_net.set_title(f"Unrolled over T = {T} step{'s' if T > 1 else ''}: {T} copies of one cell")

    image = ax_w.imshow(W, cmap=plots.DIVERGING_CMAP, vmin=-np.abs(W).max(), vmax=np.abs(W).max())
    for (i, j), value in np.ndenumerate(W):
        dark = abs(value) > 0.6 * np.abs(W).max()  # light text on the dark ends of the colour map
        ax_w.text(j, i, f"{round(value, 2) + 0.0:+.2f}", ha="center", va="center", fontsize=9,
                  color="white" if dark else "black")  # fmt: skip
    ax_w.grid(False)
    ax_w.set_xticks(range(W.shape[1]), range(1, W.shape[1] + 1))
    ax_w.set_yticks(range(W.shape[0]), range(1, W.shape[0] + 1))
    image.set_gid("weights:W")
    plots.label(
        ax_w, f"W: the same {W.size} numbers at every\nstep, for any T (so are U, b, V, c)",
        "from unit", "to unit",
    )  # fmt: skip

    steps = np.arange(1, MAX_T + 1)
    ax_cost.plot(steps, [n_params] * MAX_T, "s-", color=plots.COLORS["blue"], label="parameters")
    ax_cost.plot(
        steps, steps * per_step, "o-", color=plots.COLORS["vermillion"], label="multiply-adds"
    )
    ax_cost.plot([T], [macs], "o", markersize=13, markerfacecolor="none", color="black")
    ax_cost.annotate(
        f"{T} × {per_step} = {macs}",
        (T, macs),
        xytext=(0, 12),
        textcoords="offset points",
        ha="center",
        fontsize=10,
    )
    ax_cost.annotate(
        f"{n_params} for every T",
        (MAX_T, n_params),
        xytext=(0, -16),
        textcoords="offset points",
        ha="right",
        fontsize=10,
    )
    ax_cost.set_xticks(steps)
    ax_cost.set_ylim(0, 1.2 * MAX_T * per_step)
    ax_cost.legend(loc="upper left")
    plots.label(
        ax_cost,
        "The computation grows with T; the parameters do not",
        "length T (steps)",
        "count for one sequence",
    )
    fig.suptitle(
        f"T = {T}: {n_params} parameters, {macs} multiply-adds ({per_step} per step)",
        fontweight="bold",
    )
    return fig


def unrolled_cost_widget(params: dict[str, np.ndarray], T: int = 4) -> widgets.interactive:
    """A length slider that redraws :func:`unrolled_cost_figure`."""
    return interactive_figure(
        lambda T: unrolled_cost_figure(T, params),
        T=int_slider(T, 1, MAX_T, "length T (steps to unroll)"),
    )
