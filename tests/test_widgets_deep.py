"""Lecture 5's grid widget draws the deep RNN the sliders ask for."""

from __future__ import annotations

import ipywidgets
import matplotlib.colors as mcolors
import pytest

from rnncourse import diagrams
from rnncourse.widgets import deep


def boxes(fig, kind):
    """Node boxes of ``kind`` (by colour) in the figure's single diagram axis."""
    (ax,) = [a for a in fig.axes if a.patches]
    colour = mcolors.to_rgba(diagrams.KIND_COLORS[kind])
    return [
        p
        for p in ax.patches
        if (p.get_gid() or "").startswith("node:") and p.get_facecolor() == colour
    ]


@pytest.mark.parametrize(("T", "L"), [(1, 1), (3, 2), (4, 3), (8, 5)])
def test_grid_figure_draws_t_times_l_hidden_boxes(T, L):
    fig = deep.grid_figure(T, L)
    assert len(boxes(fig, "hidden")) == T * L
    assert len(boxes(fig, "state")) == L  # one initial state per layer
    assert len(boxes(fig, "input")) == len(boxes(fig, "output")) == T
    (ax,) = fig.axes
    edges = [p for p in ax.patches if (p.get_gid() or "").startswith("edge:")]
    assert len(edges) == 2 * T * L + T  # below + left for each state, plus the readouts


def test_grid_figure_caption_counts_states_weight_sets_and_path_length():
    fig = deep.grid_figure(T=6, L=2)
    caption = fig.get_supxlabel()
    assert "12 hidden states" in caption
    assert "2 sets of weights" in caption
    assert "crosses 8 arrows" in caption and "3 up and 5 to the right" in caption
    assert "12 hidden states" in fig.axes[0].get_title()


def test_grid_widget_has_depth_and_length_sliders_that_redraw():
    w = deep.grid_widget(T=4, L=3)
    sliders = [c for c in w.children if isinstance(c, ipywidgets.IntSlider)]
    assert [(s.description, s.value, s.min, s.max) for s in sliders] == [
        ("depth L (layers)", 3, 1, deep.MAX_L),
        ("length T (steps)", 4, 1, deep.MAX_T),
    ]
    assert not any(s.continuous_update for s in sliders)
    sliders[0].value = 2  # the widget keeps the figure it drew last in its result
    assert len(boxes(w.result, "hidden")) == 2 * 4
