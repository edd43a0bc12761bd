"""Lecture 3's widget draws the input, the neuron's output and the EWMA it is given, as given."""

from __future__ import annotations

import ipywidgets
import numpy as np
import pytest

from rnncourse import plots
from rnncourse.widgets import neuron as neuron_widgets


def reference_neuron(x, w, u, h0=0.0):
    """h_t = tanh(w h_{t-1} + u x_t), written independently of the lecture."""
    out, h = [], h0
    for value in np.asarray(x, dtype=float):
        h = np.tanh(w * h + u * value)
        out.append(h)
    return np.array(out)


def reference_ewma(x, alpha, s0=0.0):
    out, s = [], s0
    for value in np.asarray(x, dtype=float):
        s = (1 - alpha) * s + alpha * value
        out.append(s)
    return np.array(out)


@pytest.fixture(scope="module")
def x():
    signal = np.zeros(40)
    signal[3] = 1.0
    signal[10:25] = 0.6
    signal[25:] = np.random.default_rng(0).normal(0, 0.3, size=15)
    return signal


def test_figure_draws_the_input_the_neuron_and_the_ewma(x):
    fig = neuron_widgets.neuron_figure(x, 0.7, 0.4, reference_neuron, reference_ewma, alpha=0.2)
    ax_x, ax_h = fig.axes
    assert np.array_equal(ax_x.lines[0].get_ydata(), x)
    h_line, s_line = ax_h.lines[:2]
    assert np.array_equal(h_line.get_xdata(), np.arange(1, 41))
    assert np.array_equal(h_line.get_ydata(), reference_neuron(x, 0.7, 0.4))
    assert np.array_equal(s_line.get_ydata(), reference_ewma(x, 0.2))
    bounds = sorted(line.get_ydata()[0] for line in ax_h.lines[2:])
    assert bounds == [-1, 1]  # tanh's bounds are marked
    assert plots.unlabelled_axes(fig) == []
    assert fig.get_figwidth() <= 9.5  # within the notebook's width: no text shrinks


def test_lines_are_the_callables_output_and_the_title_reports_their_gap(x):
    calls = []

    def fake_neuron(x, w, u):
        calls.append((w, u))
        return np.full(len(x), 0.5)

    fig = neuron_widgets.neuron_figure(
        x, 1.5, -2.0, fake_neuron, lambda x, alpha: np.full(len(x), 0.3), alpha=0.1
    )
    _, ax_h = fig.axes
    assert calls == [(1.5, -2.0)]
    assert np.array_equal(ax_h.lines[0].get_ydata(), np.full(40, 0.5))
    assert np.array_equal(ax_h.lines[1].get_ydata(), np.full(40, 0.3))
    title = ax_h.get_title()
    assert "0.0400" in title  # mean of (0.5 - 0.3)^2
    assert "latches" in title  # w = 1.5
    assert "α = 0.10" in ax_h.lines[1].get_label()


def test_linear_neuron_with_w_one_minus_alpha_u_alpha_closes_the_gap(x):
    def linear_neuron(x, w, u):
        out, h = [], 0.0
        for value in x:
            h = w * h + u * value
            out.append(h)
        return np.array(out)

    fig = neuron_widgets.neuron_figure(x, 0.8, 0.2, linear_neuron, reference_ewma, alpha=0.2)
    assert "gap to the EWMA: 0.0000" in fig.axes[1].get_title()


@pytest.mark.parametrize(
    ("w", "words"),
    [
        (1.5, "latches"),
        (1.0, "edge"),
        (0.5, "fades"),
        (0.0, "fades"),
        (-0.5, "flipping sign"),
        (-1.0, "edge"),
        (-1.5, "flips sign for ever"),
    ],
)
def test_memory_regime_names_the_behaviour_of_w(w, words):
    assert words in neuron_widgets.memory_regime(w)


def test_figure_rejects_callables_that_return_the_wrong_shape(x):
    with pytest.raises(ValueError, match="shape"):
        neuron_widgets.neuron_figure(x, 0.5, 1.0, lambda x, w, u: x[:-1], reference_ewma, alpha=0.2)


def test_widget_has_w_and_u_sliders_over_every_regime(x):
    seen = []

    def spy(x, w, u):
        seen.append((w, u))
        return reference_neuron(x, w, u)

    widget = neuron_widgets.neuron_widget(x, spy, reference_ewma, alpha=0.2)
    sliders = [c for c in widget.children if isinstance(c, ipywidgets.FloatSlider)]
    assert [(s.min, s.max, s.value) for s in sliders] == [(-2.0, 2.0, 0.5), (-3.0, 3.0, 1.0)]
    assert [s.description for s in sliders] == [  # each says what it moves
        "w: weight on the previous output",
        "u: weight on the input",
    ]
    assert not any(s.continuous_update for s in sliders)
    sliders[0].value = 1.2
    assert seen[-1] == (1.2, 1.0)
