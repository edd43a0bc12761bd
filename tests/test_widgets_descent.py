"""Lecture 6's widget draws the loss surface it is given and the path its ``descend`` callable took."""

from __future__ import annotations

import ipywidgets
import matplotlib.text
import numpy as np
import pytest

from rnncourse import plots
from rnncourse.widgets import descent

# A bowl with its minimum at (0.7, 0.3): loss = (w - 0.7)^2 + 4 (u - 0.3)^2, gradient known exactly.
TARGET = (0.7, 0.3)
W_GRID = np.linspace(-0.2, 1.0, 25)
U_GRID = np.linspace(-0.2, 1.2, 29)
BOX = (-0.2, 1.0, -0.2, 1.2)


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


def figure(run=descend, lr=0.1, steps=10):
    return descent.descent_figure(W_GRID, U_GRID, LOSS_GRID, run, lr, 0.0, 1.0, steps, TARGET)


def test_descent_figure_draws_the_surface_and_the_path():
    fig = figure(steps=20)
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
    assert "falls" in ax_surface.get_title() and "20 steps" in ax_surface.get_title()
    assert plots.unlabelled_axes(fig) == []


def test_descent_figure_fits_the_notebook_with_readable_text():
    fig = figure(lr=0.3)  # the longest titles: too large, and the path leaves the plot
    assert fig.get_tightbbox().width <= 9.5  # inches: wider figures are scaled down in the notebook
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    assert min(sizes) >= 9


def test_descent_figure_cuts_a_path_that_leaves_for_good_at_the_edge():
    # On the bowl, u's step multiplies (u - 0.3) by (1 - 8 lr) = -1.4 at lr = 0.3: step 1 lands at
    # u = 0.3 - 0.7 * 1.4 = -0.68, below the plot, and every later step lands further out.
    fig = figure(lr=0.3)
    ax_surface, ax_loss = fig.axes[:2]
    drawn = ax_surface.lines[0].get_xydata()
    assert len(drawn) == 2 and tuple(drawn[0]) == (0.0, 1.0)
    w1, u1 = descend(0.3, 0.0, 1.0, 1)[0][1]
    fraction = (1.0 - BOX[2]) / (1.0 - u1)  # where the first step crosses u = -0.2
    assert np.allclose(drawn[1], [fraction * w1, BOX[2]])
    assert np.allclose(ax_surface.lines[2].get_xydata()[0], drawn[1])  # the crossing is marked
    title = ax_surface.get_title()
    assert "too large" in title and "leaves the plot at step 1" in title
    assert len(ax_loss.lines[0].get_ydata()) == 11  # every finite loss is still shown


def test_descent_figure_keeps_a_path_that_leaves_and_comes_back():
    def excursion(lr, w0, u0, steps):
        path, losses = descend(lr, w0, u0, steps)
        path[3] = (1.5, 0.3)  # outside the plot at step 3 only
        return path, losses

    fig = figure(excursion)
    assert len(fig.axes[0].lines[0].get_xydata()) == 11
    assert "leaves" not in fig.axes[0].get_title()


def test_descent_title_catches_a_loss_that_falls_then_climbs_back():
    losses = np.array([1.0, 1e-3, 1e-6, 1e-4, 1e-2])  # ends below its start, far above its minimum
    assert descent.descent_title(0.45, losses) == (
        "lr = 0.45 is too large: the loss fell to 1e-06,\nthen climbed back to 0.01"
    )
    assert "falls\nfrom 1 to 1e-06" in descent.descent_title(0.1, np.array([1.0, 1e-3, 1e-6]))


def test_descent_figure_stops_the_path_where_it_overflows():
    def overflows(lr, w0, u0, steps):
        path, losses = descend(lr, w0, u0, steps)
        path[5:], losses[5:] = np.inf, np.nan
        return path, losses

    fig = figure(overflows)
    ax_surface, ax_loss = fig.axes[:2]
    assert len(ax_surface.lines[0].get_xydata()) == 5  # only the finite points are drawn
    assert len(ax_loss.lines[0].get_ydata()) == 5
    assert "overflows to infinity at step 5" in ax_surface.get_title()
    assert ax_loss.lines[1].get_xdata()[0] == 5  # a dotted line marks the step


def test_descent_figure_shows_a_point_whose_loss_already_overflowed():
    def first_step_overflows(lr, w0, u0, steps):  # lecture 6 from w0 = 1: a finite point, inf loss
        path, losses = descend(lr, w0, u0, steps)
        path[1], path[2:], losses[1:] = (-120.0, -40.0), np.nan, np.inf
        return path, losses

    fig = figure(first_step_overflows)
    ax_surface, ax_loss = fig.axes[:2]
    drawn = ax_surface.lines[0].get_xydata()
    assert len(drawn) == 2 and drawn[1][0] == BOX[0]  # drawn to the left edge it crosses
    assert len(ax_loss.lines[0].get_ydata()) == 1 and ax_loss.lines[0].get_marker() == "o"
    lo, hi = ax_loss.get_xlim()
    assert lo <= 0 and hi == 10  # the step axis is fixed, not squeezed around one point


def test_exit_step_and_edge_crossing():
    inside, outside = (0.5, 0.5), (2.0, 0.5)
    assert descent.exit_step(np.array([inside, inside]), BOX) is None
    assert descent.exit_step(np.array([inside, outside, outside]), BOX) == 1
    assert descent.exit_step(np.array([inside, outside, inside]), BOX) is None
    assert descent.exit_step(np.array([outside, outside]), BOX) == 0
    corner = descent.edge_crossing(np.array([0.0, 0.0]), np.array([2.0, 2.4]), BOX)
    assert np.allclose(corner, [1.0, 1.2])  # leaves through the corner
    on_edge = descent.edge_crossing(np.array([-0.2, 0.5]), np.array([-0.4, 0.7]), BOX)
    assert np.allclose(on_edge, [-0.2, 0.5])  # a start on the edge that steps out stays there
    assert np.allclose(
        descent.edge_crossing(np.array([0.0, 0.0]), np.array([-1e6, 0.0]), BOX), [-0.2, 0]
    )


def test_descent_figure_rejects_a_grid_of_the_wrong_shape():
    with pytest.raises(ValueError, match="loss_grid"):
        descent.descent_figure(W_GRID, U_GRID, LOSS_GRID.T, descend, 0.1, 0.0, 1.0)


def test_descent_widget_sliders_say_what_they_move_and_redraw():
    calls = []

    def recording(lr, w0, u0, steps):
        calls.append((lr, w0, u0, steps))
        return descend(lr, w0, u0, steps)

    w = descent.descent_widget(W_GRID, U_GRID, LOSS_GRID, recording, steps=15, target=TARGET)
    sliders = [c for c in w.children if isinstance(c, ipywidgets.FloatSlider)]
    assert [s.description for s in sliders] == [
        "learning rate (step size)",
        "start w0 (recurrent weight)",
        "start u0 (input weight)",
    ]
    assert (sliders[0].min, sliders[0].max) == descent.LR_RANGE
    assert (sliders[1].min, sliders[1].max) == (W_GRID[0], W_GRID[-1])
    assert (sliders[2].min, sliders[2].max) == (U_GRID[0], U_GRID[-1])
    assert not any(s.continuous_update for s in sliders)
    sliders[0].value = 0.1
    assert calls[-1] == (0.1, 0.0, 1.0, 15)
