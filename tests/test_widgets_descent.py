"""Lecture 6's widget draws the loss surface it is given and the path its ``descend`` callable took."""

from __future__ import annotations

import ipywidgets
import numpy as np
import pytest

from rnncourse import plots
from rnncourse.widgets import descent

# A bowl with its minimum at (0.7, 0.3): loss = (w - 0.7)^2 + 4 (u - 0.3)^2, gradient known exactly.
TARGET = (0.7, 0.3)
W_GRID = np.linspace(-0.2, 1.0, 25)
U_GRID = np.linspace(-0.2, 1.2, 29)


def bowl(w, u):
    return (w - 0.7) ** 2 + 4 * (u - 0.3) ** 2


LOSS_GRID = bowl(W_GRID[None, :], U_GRID[:, None])  # (G_u, G_w)


def descend(lr, w0, u0, steps):
    """Plain gradient descent on the bowl; returns the path (steps + 1, 2) and losses (steps + 1,)."""
    path = [(w0, u0)]
    for _ in range(steps):
        w, u = path[-1]
        path.append((w - lr * 2 * (w - 0.7), u - lr * 8 * (u - 0.3)))
    path = np.array(path)
    return path, bowl(path[:, 0], path[:, 1])


def test_descent_figure_draws_the_surface_and_the_path():
    fig = descent.descent_figure(
        W_GRID, U_GRID, LOSS_GRID, descend, lr=0.1, w0=0.0, u0=1.0, steps=20, target=TARGET
    )
    ax_surface, ax_loss = fig.axes[:2]
    mesh = ax_surface.collections[0]
    drawn_surface = mesh.get_array().reshape(LOSS_GRID.shape)
    expected = np.maximum(np.log10(LOSS_GRID), np.log10(LOSS_GRID.max()) - descent.DECADES)
    assert np.allclose(drawn_surface, expected)
    assert drawn_surface.min() == np.log10(LOSS_GRID.max()) - descent.DECADES  # 0 at the minimum
    path, losses = descend(0.1, 0.0, 1.0, 20)
    drawn = ax_surface.lines[0].get_xydata()
    assert np.allclose(drawn, path)
    assert tuple(ax_surface.lines[1].get_xydata()[0]) == (0.0, 1.0)  # the start
    assert tuple(ax_surface.lines[2].get_xydata()[0]) == TARGET  # the star
    assert np.allclose(ax_loss.lines[0].get_ydata(), losses)
    assert ax_loss.get_yscale() == "log"
    assert "falls from" in ax_surface.get_title() and "20 steps" in ax_surface.get_title()
    assert plots.unlabelled_axes(fig) == []


def test_descent_figure_says_when_the_learning_rate_is_too_large():
    # On the bowl, u's step multiplies (u - 0.3) by (1 - 8 lr): |1 - 8 * 0.3| > 1, so it grows.
    fig = descent.descent_figure(W_GRID, U_GRID, LOSS_GRID, descend, 0.3, 0.0, 1.0, steps=10)
    assert "too large" in fig.axes[0].get_title()
    assert len(fig.axes[0].lines[0].get_xydata()) == 11


def test_descent_title_catches_a_loss_that_falls_then_climbs_back():
    losses = np.array([1.0, 1e-3, 1e-6, 1e-4, 1e-2])  # ends below its start, far above its minimum
    assert descent.descent_title(0.45, losses) == (
        "lr = 0.45 is too large: the loss fell to 1e-06, then climbed back to 0.01"
    )
    assert "falls from 1 to 1e-06" in descent.descent_title(0.1, np.array([1.0, 1e-3, 1e-6]))


def test_descent_figure_stops_the_path_where_it_blows_up():
    def blows_up(lr, w0, u0, steps):
        path, losses = descend(lr, w0, u0, steps)
        path[5:], losses[5:] = np.inf, np.nan
        return path, losses

    fig = descent.descent_figure(W_GRID, U_GRID, LOSS_GRID, blows_up, 0.1, 0.0, 1.0, steps=10)
    ax_surface, ax_loss = fig.axes[:2]
    assert len(ax_surface.lines[0].get_xydata()) == 5  # only the finite points are drawn
    assert len(ax_loss.lines[0].get_ydata()) == 5
    assert "blows up" in ax_surface.get_title()


def test_descent_figure_rejects_a_grid_of_the_wrong_shape():
    with pytest.raises(ValueError, match="loss_grid"):
        descent.descent_figure(W_GRID, U_GRID, LOSS_GRID.T, descend, 0.1, 0.0, 1.0)


def test_descent_widget_wires_three_sliders_to_descend():
    calls = []

    def recording(lr, w0, u0, steps):
        calls.append((lr, w0, u0, steps))
        return descend(lr, w0, u0, steps)

    w = descent.descent_widget(W_GRID, U_GRID, LOSS_GRID, recording, steps=15, target=TARGET)
    sliders = [c for c in w.children if isinstance(c, ipywidgets.FloatSlider)]
    assert [s.description for s in sliders] == ["learning rate", "start w0", "start u0"]
    assert (sliders[1].min, sliders[1].max) == (W_GRID[0], W_GRID[-1])
    assert (sliders[2].min, sliders[2].max) == (U_GRID[0], U_GRID[-1])
    assert not any(s.continuous_update for s in sliders)
    sliders[0].value = 0.1
    assert calls[-1] == (0.1, 0.0, 1.0, 15)
