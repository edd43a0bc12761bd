"""Lecture 6's widget: gradient descent on the loss surface of the two-weight neuron.

The loss and its gradient are the lecture's own mathematics, so they stay in the notebook: the
figure receives the loss already evaluated on a grid, and a ``descend(lr, w0, u0, steps)`` callable
that runs gradient descent and returns the path it took.

A path that diverges leaves the grid and then overflows. The figure draws only what can be drawn:
the finite steps, and a path that leaves the plotted region for good is drawn up to the edge it
crosses, with the crossing marked; the titles say at which step either happened.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import numpy as np

from .. import plots
from . import float_slider, interactive_figure

# descend(lr, w0, u0, steps) -> (path (steps + 1, 2) of (w, u), losses (steps + 1,))
Descend = Callable[[float, float, float, int], tuple[np.ndarray, np.ndarray]]
Box = tuple[float, float, float, float]  # (w_lo, w_hi, u_lo, u_hi): the plotted region

DECADES = 5
REBOUND = 100  # a final loss this many times above the lowest one reached means the steps overshoot
LR_RANGE = (0.01, 0.6)  # the learning-rate slider's range


def _finite_prefix(values: np.ndarray) -> int:
    """Number of leading rows of ``values`` (N,) or (N, 2) that are finite (divergence ends in inf/nan)."""
    ok = np.isfinite(values).reshape(len(values), -1).all(axis=1)
    return len(ok) if ok.all() else int(np.argmin(ok))


def _inside(points: np.ndarray, box: Box) -> np.ndarray:
    """(N,) bool: which of the points (N, 2) lie in the closed box."""
    w_lo, w_hi, u_lo, u_hi = box
    w, u = points[:, 0], points[:, 1]
    return (w >= w_lo) & (w <= w_hi) & (u >= u_lo) & (u <= u_hi)


def exit_step(path: np.ndarray, box: Box) -> int | None:
    """The step at which a finite ``path`` (N, 2) leaves ``box`` for good, or None if it ends inside.

    A path that leaves and comes back is still inside at its end: only the last excursion counts.
    """
    inside = _inside(path, box)
    if inside[-1]:
        return None
    back_inside = np.flatnonzero(inside)
    return int(back_inside[-1]) + 1 if len(back_inside) else 0


def edge_crossing(a: np.ndarray, b: np.ndarray, box: Box) -> np.ndarray:
    """The point where the segment from ``a`` (inside ``box``) to ``b`` (outside) crosses its edge."""
    fractions = [1.0]
    for k, (low, high) in enumerate((box[:2], box[2:])):
        if b[k] < low <= a[k]:  # crosses the lower edge of coordinate k (a may lie on it)
            fractions.append((low - a[k]) / (b[k] - a[k]))
        if b[k] > high >= a[k]:
            fractions.append((high - a[k]) / (b[k] - a[k]))
    return a + min(fractions) * (b - a)


def surface_levels(loss_grid: np.ndarray) -> np.ndarray:
    """``log10`` of the loss, floored ``DECADES`` decades below its maximum: what the colours show."""
    log_loss = np.log10(np.maximum(loss_grid, np.finfo(float).tiny))
    return np.maximum(log_loss, log_loss.max() - DECADES)


def descent_title(lr: float, losses: np.ndarray, leaves_at: int | None = None) -> str:
    """A title that says what happened: the loss fell, or the steps were too large and it grew.

    ``losses``: (steps + 1,). "Too large" covers three cases: the loss overflowed (became
    infinite or NaN), ended above where it started, or fell and then climbed back ``REBOUND``
    times above its lowest value. ``leaves_at``: the step at which the path left the plotted
    region for good (see :func:`exit_step`), said on a line of its own.
    """
    steps = len(losses) - 1
    n = _finite_prefix(losses)
    too_large = f"lr = {lr:.2f} is too large:"
    if n < len(losses):
        title = f"{too_large}\nthe loss overflows to infinity at step {n}"
    elif losses[-1] > losses[0]:
        title = f"{too_large}\nthe loss grows from {losses[0]:.2g} to {losses[-1]:.2g}"
    elif losses[-1] > REBOUND * losses.min():
        title = (
            f"{too_large} the loss fell to {losses.min():.1g},\n"
            f"then climbed back to {losses[-1]:.2g}"
        )
    else:
        title = f"lr = {lr:.2f}: the loss falls\nfrom {losses[0]:.2g} to {losses[-1]:.2g} in {steps} steps"
    if leaves_at is not None:
        title += f"\nthe path leaves the plot at step {leaves_at} (drawn to the edge)"
    return title


def descent_figure(
    w_grid: np.ndarray,
    u_grid: np.ndarray,
    loss_grid: np.ndarray,
    descend: Descend,
    lr: float,
    w0: float,
    u0: float,
    steps: int = 60,
    target: tuple[float, float] | None = None,
):
    """The loss surface over (w, u) with the path of ``descend(lr, w0, u0, steps)``, beside its loss.

    ``w_grid``: (G_w,) and ``u_grid``: (G_u,) increasing; ``loss_grid``: (G_u, G_w), the loss at
    ``(w_grid[j], u_grid[i])`` in row ``i``, column ``j``. The surface is drawn as ``log10`` of the
    loss, so that the valley floor stays visible, over the ``DECADES`` decades below its highest
    value (a loss of exactly 0 at the minimum would otherwise swallow the colour scale).
    ``target``: the known minimum, marked with a star.

    The path is drawn while it is finite; if it leaves the grid for good, up to the edge it
    crosses (marked with a cross). The loss panel shows every finite loss on a fixed axis of
    ``steps`` steps, and a dotted line where the loss overflowed.
    """
    w_grid, u_grid = np.asarray(w_grid, float), np.asarray(u_grid, float)
    loss_grid = np.asarray(loss_grid, float)
    if loss_grid.shape != (len(u_grid), len(w_grid)):
        raise ValueError(
            f"loss_grid must have shape (len(u_grid), len(w_grid)) = {(len(u_grid), len(w_grid))}, "
            f"got {loss_grid.shape}"
        )
    path, losses = descend(lr, w0, u0, steps)
    path, losses = np.asarray(path, float), np.asarray(losses, float)
    if path.shape != (steps + 1, 2) or losses.shape != (steps + 1,):
        raise ValueError("descend must return a path (steps + 1, 2) and losses (steps + 1,)")
    box = (w_grid[0], w_grid[-1], u_grid[0], u_grid[-1])
    n, n_path = _finite_prefix(losses), _finite_prefix(path)  # a point can be finite, its loss not
    leaves_at = exit_step(path[:n_path], box) if n_path else None
    drawn = path[:n_path] if leaves_at is None else path[:leaves_at]  # (N, 2): what is on the plot
    crossing = None
    if leaves_at:  # the segment from the last point inside to the first outside, cut at the edge
        crossing = edge_crossing(path[leaves_at - 1], path[leaves_at], box)
        drawn = np.vstack([drawn, crossing])

    fig, (ax_surface, ax_loss) = plots.figure(
        1, 2, figsize=(9.5, 4.4), gridspec_kw={"width_ratios": [1.25, 1]}
    )
    log_loss = surface_levels(loss_grid)
    mesh = ax_surface.pcolormesh(w_grid, u_grid, log_loss, shading="auto", cmap="viridis")
    ax_surface.contour(
        w_grid, u_grid, log_loss, levels=12, colors="white", linewidths=0.5, linestyles="solid"
    )
    fig.colorbar(mesh, ax=ax_surface, label="log10(loss)")
    ax_surface.plot(
        drawn[:, 0],
        drawn[:, 1],
        "-o",
        color=plots.COLORS["vermillion"],
        markersize=2.5,
        linewidth=1.2,
        label="descent path",
    )
    ax_surface.plot(
        w0, u0, "o", color="white", markeredgecolor="black", clip_on=False, label="start"
    )
    if crossing is not None:
        ax_surface.plot(
            *crossing,
            "X",
            color="white",
            markeredgecolor="black",
            markersize=10,
            clip_on=False,
            label=f"leaves the plot (step {leaves_at})",
        )
    if target is not None:
        ax_surface.plot(
            *target,
            "*",
            color=plots.COLORS["yellow"],
            markersize=14,
            markeredgecolor="black",
            label="minimum",
        )
    ax_surface.set_xlim(w_grid[0], w_grid[-1])
    ax_surface.set_ylim(u_grid[0], u_grid[-1])
    ax_surface.grid(False)
    plots.label(
        ax_surface, descent_title(lr, losses, leaves_at), "recurrent weight w", "input weight u"
    )
    ax_surface.title.set_fontsize(10)
    ax_surface.legend(  # below the surface, where it cannot hide a start or a path
        loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize=9, frameon=False
    )

    ax_loss.plot(
        np.arange(n),
        losses[:n],
        marker="o" if n <= 10 else None,  # a short run needs dots to be seen at all
        markersize=3,
        color=plots.COLORS["blue"],
        label="loss",
    )
    if n < len(losses):
        ax_loss.axvline(
            n, color=plots.COLORS["grey"], linestyle=":", label=f"overflows (inf) at step {n}"
        )
        ax_loss.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=9, frameon=False)
    ax_loss.set_xlim(-0.02 * steps, steps)  # the same axis for every run; step 0 off the spine
    ax_loss.set_yscale("log")
    plots.label(ax_loss, "Loss after each step", "gradient-descent step", "loss (log scale)")
    fig.suptitle("Gradient descent on the two-weight neuron's loss surface", fontweight="bold")
    return fig


def descent_widget(
    w_grid: np.ndarray,
    u_grid: np.ndarray,
    loss_grid: np.ndarray,
    descend: Descend,
    steps: int = 60,
    target: tuple[float, float] | None = None,
    lr: float = 0.2,
    w0: float = 0.0,
    u0: float = 1.0,
) -> widgets.interactive:
    """Sliders for the learning rate (``LR_RANGE``) and the starting point (w0, u0) inside the grid."""
    w_lo, w_hi, u_lo, u_hi = (
        float(w_grid[0]),
        float(w_grid[-1]),
        float(u_grid[0]),
        float(u_grid[-1]),
    )
    return interactive_figure(
        lambda lr, w0, u0: descent_figure(
            w_grid, u_grid, loss_grid, descend, lr, w0, u0, steps, target
        ),
        lr=float_slider(lr, *LR_RANGE, 0.01, "learning rate (step size)"),
        w0=float_slider(w0, w_lo, w_hi, 0.05, "start w0 (recurrent weight)"),
        u0=float_slider(u0, u_lo, u_hi, 0.05, "start u0 (input weight)"),
    )
