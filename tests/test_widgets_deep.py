"""Lecture 5's widgets: the grid draws the deep RNN the sliders ask for; the EWMA stack delays."""

from __future__ import annotations

import ipywidgets
import matplotlib.colors as mcolors
import numpy as np
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


def ewma(x, alpha, s0=0.0):
    """A plain EWMA, as lecture 2 writes it."""
    s, out = s0, []
    for value in x:
        s = (1 - alpha) * s + alpha * value
        out.append(s)
    return np.array(out)


@pytest.mark.parametrize(("depth", "alpha"), [(1, 0.5), (3, 0.1), (6, 0.02)])
def test_stack_delay_is_k_times_one_ewmas_mean_age(depth, alpha):
    mean, spread = deep.stack_delay(depth, alpha, ewma)
    assert mean == pytest.approx(depth * (1 - alpha) / alpha, rel=1e-9)
    assert spread == pytest.approx(np.sqrt(depth * (1 - alpha)) / alpha, rel=1e-9)


def test_ewma_stack_figure_prints_the_delay_and_smooths_more_with_depth():
    t = np.arange(400)
    values = 100 + 10 * np.sin(t / 15) + np.random.default_rng(0).normal(0, 2, 400)
    dates = np.arange("2008-01-01", 400, dtype="datetime64[D]")
    titles = []
    for depth in (1, 4):
        fig = deep.ewma_stack_figure(values, dates, depth, 0.2, ewma)
        top = fig.axes[0].lines[-1].get_ydata()  # the top layer of the stack
        titles.append((fig.get_suptitle(), np.std(np.diff(top))))
        assert f"{depth * 0.8 / 0.2:.1f} days" in " ".join(t.get_text() for t in fig.axes[1].texts)
    assert "by 4.0 days" in titles[0][0] and "by 16.0 days" in titles[1][0]
    assert titles[1][1] < titles[0][1]  # the deeper stack is smoother


def test_ewma_stack_widget_has_described_depth_and_alpha_sliders():
    values = np.linspace(1, 2, 100)
    dates = np.arange("2008-01-01", 100, dtype="datetime64[D]")
    w = deep.ewma_stack_widget(values, dates, ewma, depth=2, alpha=0.1)
    sliders = [
        c for c in w.children if isinstance(c, ipywidgets.IntSlider | ipywidgets.FloatSlider)
    ]
    assert [s.description for s in sliders] == ["depth (EWMAs stacked)", "alpha of every layer"]
    sliders[0].value = 5
    assert w.result.get_suptitle().startswith("Depth 5")
