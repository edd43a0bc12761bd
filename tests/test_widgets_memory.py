"""Lecture 7's widget draws |w|^t and the tanh curve it is given, and says what happened in its title."""

from __future__ import annotations

import ipywidgets
import matplotlib.text
import numpy as np
import pytest

from rnncourse import plots
from rnncourse.widgets import memory


def halved(w, T_max):
    """A stand-in for the tanh neuron: every step multiplies the gradient by w / 2."""
    return (w / 2) ** np.arange(1, T_max + 1)


def test_gradient_decay_figure_draws_both_curves():
    fig = memory.gradient_decay_figure(0.8, halved, T_max=30)
    (ax,) = fig.axes
    reference, linear, tanh = ax.lines
    assert np.allclose(reference.get_ydata(), 1.0)
    assert np.array_equal(linear.get_xdata(), np.arange(1, 31))
    assert np.allclose(linear.get_ydata(), 0.8 ** np.arange(1, 31))
    assert np.allclose(tanh.get_ydata(), 0.4 ** np.arange(1, 31))
    assert ax.get_yscale() == "log"
    assert plots.unlabelled_axes(fig) == []


def test_gradient_decay_title_says_vanish_or_explode():
    title = memory.gradient_decay_figure(0.8, halved, T_max=30).axes[0].get_title()
    assert "w = 0.80" in title and title.count("vanishes") == 2
    title = memory.gradient_decay_figure(1.3, halved, T_max=30).axes[0].get_title()
    assert "explodes for the linear" in title and "vanishes for the tanh" in title
    assert f"{1.3**30:.0e}" in title


def test_gradient_decay_figure_takes_the_absolute_value_of_negative_weights():
    fig = memory.gradient_decay_figure(-0.5, halved, T_max=10)
    assert np.allclose(fig.axes[0].lines[1].get_ydata(), 0.5 ** np.arange(1, 11))
    assert np.all(fig.axes[0].lines[2].get_ydata() > 0)  # (-0.25)^t alternates in sign


def test_verdict_thresholds():
    assert [memory.verdict(f) for f in (1e-3, 0.5, 2.0, 1e3)] == [
        "vanishes",
        "survives",
        "survives",
        "explodes",
    ]


def test_gradient_decay_figure_rejects_a_curve_of_the_wrong_length():
    with pytest.raises(ValueError, match="shape"):
        memory.gradient_decay_figure(0.9, lambda w, T: np.ones(T + 1), T_max=20)


def test_gradient_decay_figure_fits_the_notebook_with_readable_text():
    fig = memory.gradient_decay_figure(1.3, halved, T_max=60)  # the longest title
    assert fig.get_tightbbox().width <= 9.5  # inches: wider figures are scaled down in the notebook
    sizes = [t.get_fontsize() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    assert min(sizes) >= 9


def test_gradient_decay_widget_slider_says_what_it_moves_and_redraws():
    seen = []

    def recording(w, T_max):
        seen.append((w, T_max))
        return halved(w, T_max)

    widget = memory.gradient_decay_widget(recording, T_max=25, w=0.9)
    (slider,) = [c for c in widget.children if isinstance(c, ipywidgets.FloatSlider)]
    assert slider.description == "recurrent weight w"
    assert (slider.min, slider.max, slider.value) == (0.05, 1.5, 0.9)
    assert not slider.continuous_update
    slider.value = 1.2
    assert seen[-1] == (1.2, 25)
