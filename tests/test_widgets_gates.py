"""Lecture 8's widget draws the retention and memory that the gate and update it is given imply."""

from __future__ import annotations

import ipywidgets
import numpy as np
import pytest

from rnncourse import plots
from rnncourse.widgets import gates


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def hold(z, n_steps):
    return (1 - z) ** np.arange(n_steps + 1)


def test_update_gate_figure_draws_the_state_kept_and_the_memory():
    fig = gates.update_gate_figure(-3.0, sigmoid, hold, gap=50, n_steps=100)
    ax_kept, ax_memory = fig.axes
    z = sigmoid(-3.0)
    kept_line = ax_kept.lines[0]
    assert np.array_equal(kept_line.get_xdata(), np.arange(101))
    assert np.allclose(kept_line.get_ydata(), (1 - z) ** np.arange(101))
    memory_marker = ax_kept.lines[1]  # the vertical line at 1/z
    assert np.allclose(memory_marker.get_xdata(), 1 / z)
    gap_dot = ax_kept.lines[2]
    assert gap_dot.get_xdata()[0] == 50 and np.isclose(gap_dot.get_ydata()[0], (1 - z) ** 50)
    assert "z = 0.047" in ax_kept.get_title() and "21.1 steps" in ax_kept.get_title()
    assert "0.088 left after 50 steps" in [t.get_text() for t in ax_kept.texts]

    curve, this_bias = ax_memory.lines[:2]
    assert np.allclose(curve.get_ydata(), 1 + np.exp(-curve.get_xdata()))  # 1/sigmoid(b)
    assert this_bias.get_xdata()[0] == -3.0 and np.isclose(this_bias.get_ydata()[0], 1 / z)
    assert ax_memory.get_yscale() == "log"
    assert plots.unlabelled_axes(fig) == []


def test_update_gate_figure_uses_the_callables_it_is_given():
    seen = []

    def recording_hold(z, n_steps):
        seen.append((z, n_steps))
        return np.linspace(1, 0, n_steps + 1)

    fig = gates.update_gate_figure(0.0, sigmoid, recording_hold, gap=10, n_steps=20)
    assert seen == [(0.5, 20)]
    assert np.allclose(fig.axes[0].lines[0].get_ydata(), np.linspace(1, 0, 21))


def test_update_gate_figure_omits_a_memory_line_beyond_the_plotted_steps():
    fig = gates.update_gate_figure(-6.0, sigmoid, hold, gap=50, n_steps=100)  # 1/z = 404
    ax_kept = fig.axes[0]
    assert len(ax_kept.lines) == 2  # the curve and the gap dot only


def test_update_gate_figure_rejects_bad_arguments():
    with pytest.raises(ValueError, match="bias"):
        gates.update_gate_figure(5.0, sigmoid, hold)
    with pytest.raises(ValueError, match="gap"):
        gates.update_gate_figure(-3.0, sigmoid, hold, gap=200, n_steps=100)
    with pytest.raises(ValueError, match="shape"):
        gates.update_gate_figure(-3.0, sigmoid, lambda z, n: np.ones(n))


def test_update_gate_widget_has_one_bias_slider_updating_on_release():
    w = gates.update_gate_widget(sigmoid, hold, gap=50, bias=-3.0)
    sliders = [c for c in w.children if isinstance(c, ipywidgets.FloatSlider)]
    assert len(sliders) == 1
    slider = sliders[0]
    assert (slider.min, slider.max, slider.value) == (-6.0, 2.0, -3.0)
    assert slider.description == "update-gate bias b_z"  # says what it moves
    assert not slider.continuous_update
