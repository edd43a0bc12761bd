"""Lecture 6's widget: gradient descent on the loss surface of the two-weight neuron.

The loss and its gradient are the lecture's own mathematics, so they stay in the notebook: the
figure receives the loss already evaluated on a grid, and a ``descend(lr, w0, u0, steps)`` callable
that runs gradient descent and returns the path it took.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import numpy as np

from .. import plots
from . import float_slider, interactive_figure

# descend(lr, w0, u0, steps) -> (path (steps + 1, 2) of (w, u), losses (steps + 1,))
Descend = Callable[[float, float, float, int], tuple[np.ndarray, np.ndarray]]


def _finite_prefix(path: np.ndarray, losses: np.ndarray) -> int:
    """Number of leading steps whose point and loss are all finite (a diverging run ends in inf/nan)."""
    ok = np.isfinite(path).all(axis=1) & np.isfinite(losses)
    return len(ok) if ok.all() else int(np.argmin(ok))


DECADES = 5
REBOUND = 100  # a final loss this many times above the lowest one reached means the steps overshoot


def surface_levels(loss_grid: np.ndarray) -> np.ndarray:
    """``log10`` of the loss, floored ``DECADES`` decades below its maximum: what the colours show."""
    log_loss = np.log10(np.maximum(loss_grid, np.finfo(float).tiny))
    return np.maximum(log_loss, log_loss.max() - DECADES)


def descent_title(lr: float, losses: np.ndarray) -> str:
    """A title that says what happened: the loss fell, or the steps were too large and it grew.

    ``losses``: (steps + 1,). "Too large" covers three cases: the loss became infinite, ended above
    where it started, or fell and then climbed back ``REBOUND`` times above its lowest value.
    """
    steps = len(losses) - 1
    n = _finite_prefix(np.zeros((len(losses), 2)), losses)
    if n < len(losses):
        return f"lr = {lr:.2f} is too large: the loss blows up to infinity"
    if losses[-1] > losses[0]:
        return (
            f"lr = {lr:.2f} is too large: the loss grows from {losses[0]:.2g} to {losses[-1]:.2g}"
        )
    if losses[-1] > REBOUND * losses.min():
        return (
            f"lr = {lr:.2f} is too large: the loss fell to {losses.min():.1g}, "
            f"then climbed back to {losses[-1]:.2g}"
        )
    return (
        f"lr = {lr:.2f}: the loss falls from {losses[0]:.2g} to {losses[-1]:.2g} in {steps} steps"
    )


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
    n = _finite_prefix(path, losses)

    fig, (ax_surface, ax_loss) = plots.figure(
        1, 2, figsize=(10, 4.2), gridspec_kw={"width_ratios": [1.25, 1]}
    )
    log_loss = surface_levels(loss_grid)
    mesh = ax_surface.pcolormesh(w_grid, u_grid, log_loss, shading="auto", cmap="viridis")
    ax_surface.contour(
        w_grid, u_grid, log_loss, levels=12, colors="white", linewidths=0.5, linestyles="solid"
    )
    fig.colorbar(mesh, ax=ax_surface, label="log10(loss)")
    ax_surface.plot(
        path[:n, 0],
        path[:n, 1],
        "-o",
        color=plots.COLORS["vermillion"],
        markersize=2.5,
        linewidth=1.2,
        label="descent path",
    )
    ax_surface.plot(w0, u0, "o", color="white", markeredgecolor="black", label="start")
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
    plots.label(ax_surface, descent_title(lr, losses), "recurrent weight w", "input weight u")
    ax_surface.title.set_fontsize(10)
    ax_surface.legend(loc="upper right", fontsize=8, framealpha=0.8, frameon=True)

    ax_loss.plot(np.arange(n), losses[:n], color=plots.COLORS["blue"])
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
    """Sliders for the learning rate and the starting point (w0, u0) inside the grid."""
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
        lr=float_slider(lr, 0.01, 0.6, 0.01, "learning rate"),
        w0=float_slider(w0, w_lo, w_hi, 0.05, "start w0"),
        u0=float_slider(u0, u_lo, u_hi, 0.05, "start u0"),
    )
