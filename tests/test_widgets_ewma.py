"""Lecture 2's widget draws the series, the EWMA it is given and the weights alpha (1 - alpha)^k."""

from __future__ import annotations

import ipywidgets
import numpy as np
import pytest

from rnncourse import data, plots
from rnncourse.widgets import ewma as ewma_widgets


def reference_ewma(x, alpha, s0=0.0):
    """s_t = (1 - alpha) s_{t-1} + alpha x_t, written independently of the lecture."""
    out, s = [], s0
    for value in np.asarray(x, dtype=float):
        s = (1 - alpha) * s + alpha * value
        out.append(s)
    return np.array(out)


@pytest.fixture(scope="module")
def goog():
    series = data.load_goog()
    return series.values[:200], series.dates[:200]


def test_weights_beneath_are_alpha_times_one_minus_alpha_to_the_k(goog):
    values, dates = goog
    fig = ewma_widgets.ewma_figure(values, dates, 0.1, reference_ewma, n_weights=50)
    _, ax_weights = fig.axes
    heights = np.array([bar.get_height() for bar in ax_weights.patches])
    assert np.allclose(heights, 0.1 * 0.9 ** np.arange(50), rtol=1e-14)
    positions = [bar.get_x() + bar.get_width() / 2 for bar in ax_weights.patches]
    assert np.allclose(positions, np.arange(50))
    mean_age_line = ax_weights.lines[0]
    assert np.allclose(mean_age_line.get_xdata(), 9.0)  # (1 - alpha) / alpha
    assert plots.unlabelled_axes(fig) == []
    assert fig.get_figwidth() <= 9.5  # within the notebook's width: no text shrinks


def test_series_panel_draws_the_values_and_what_the_callable_returned(goog):
    values, dates = goog
    calls = []

    def spy(x, alpha, s0=0.0):
        calls.append((alpha, s0))
        return reference_ewma(x, alpha, s0)

    fig = ewma_widgets.ewma_figure(values, dates, 0.25, spy)
    ax_series, _ = fig.axes
    raw, smooth = ax_series.lines
    assert np.array_equal(raw.get_ydata(), values)
    assert np.array_equal(smooth.get_ydata(), reference_ewma(values, 0.25, s0=values[0]))
    assert calls == [(0.25, values[0])]  # started at the first value: no start-up bias
    assert "0.25" in ax_series.get_title() and "~4 steps" in ax_series.get_title()


def test_the_line_is_the_callables_output_not_a_recomputation(goog):
    values, dates = goog
    fig = ewma_widgets.ewma_figure(values, dates, 0.5, lambda x, alpha, s0: np.zeros_like(x))
    assert np.array_equal(fig.axes[0].lines[1].get_ydata(), np.zeros(len(values)))


def test_alpha_one_puts_all_weight_on_the_newest_input(goog):
    values, dates = goog
    fig = ewma_widgets.ewma_figure(values, dates, 1.0, reference_ewma, n_weights=5)
    ax_series, ax_weights = fig.axes
    assert [bar.get_height() for bar in ax_weights.patches] == [1.0, 0.0, 0.0, 0.0, 0.0]
    assert np.array_equal(ax_series.lines[1].get_ydata(), values)


def test_mean_age_beyond_the_drawn_weights_is_not_marked(goog):
    values, dates = goog
    fig = ewma_widgets.ewma_figure(values, dates, 0.01, reference_ewma, n_weights=50)
    assert len(fig.axes[1].lines) == 0  # mean age 99 lies outside ages 0..49


def test_figure_rejects_bad_alpha_and_wrong_shapes(goog):
    values, dates = goog
    for alpha in (0.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="alpha"):
            ewma_widgets.ewma_figure(values, dates, alpha, reference_ewma)
    with pytest.raises(ValueError, match="shape"):
        ewma_widgets.ewma_figure(values, dates, 0.1, lambda x, alpha, s0: x[:-1])


def test_widget_has_one_alpha_slider_that_redraws_with_its_value(goog):
    values, dates = goog
    seen = []

    def spy(x, alpha, s0=0.0):
        seen.append(alpha)
        return reference_ewma(x, alpha, s0)

    w = ewma_widgets.ewma_widget(values, dates, spy, alpha=0.2)
    sliders = [c for c in w.children if isinstance(c, ipywidgets.FloatSlider)]
    assert len(sliders) == 1
    (slider,) = sliders
    assert (slider.min, slider.max, slider.step, slider.value) == (0.01, 1.0, 0.01, 0.2)
    assert slider.description == "α: weight of the newest value"  # says what it moves
    assert not slider.continuous_update
    slider.value = 0.5
    assert seen[-1] == 0.5


def test_default_weights_panel_marks_the_mean_age_even_at_the_smallest_alpha(goog):
    values, dates = goog
    low = ewma_widgets.ALPHA_RANGE[0]
    fig = ewma_widgets.ewma_figure(values, dates, low, reference_ewma)
    assert len(fig.axes[1].lines) == 1  # mean age 99 fits in the default 100 weights


@pytest.mark.parametrize("alpha", [0.01, 0.05, 0.3, 1.0])
def test_default_weights_panel_draws_the_tail_and_says_how_much_weight_it_shows(goog, alpha):
    values, dates = goog
    fig = ewma_widgets.ewma_figure(values, dates, alpha, reference_ewma)
    ax_weights = fig.axes[1]
    heights = np.array([bar.get_height() for bar in ax_weights.patches])
    assert heights.sum() >= 0.99  # at alpha = 0.01 that takes 459 ages, not 100
    assert ax_weights.get_xlim()[1] >= len(heights) - 1  # every drawn bar is inside the axis
    share = ewma_widgets.percent(heights.sum())
    assert f"ages 0–{len(heights) - 1} carry {share} of the total" in ax_weights.get_title()


def test_a_cut_tail_is_named_in_the_title(goog):
    values, dates = goog
    fig = ewma_widgets.ewma_figure(values, dates, 0.01, reference_ewma, n_weights=100)
    assert "ages 0–99 carry 63% of the total" in fig.axes[1].get_title()  # 1 - 0.99^100


def test_ages_carrying_is_the_fewest_ages_that_reach_the_share():
    for alpha in (0.01, 0.1, 0.5, 0.9):
        K = ewma_widgets.ages_carrying(alpha, 0.99)
        assert 1 - (1 - alpha) ** K >= 0.99 > 1 - (1 - alpha) ** (K - 1)
    assert ewma_widgets.ages_carrying(1.0, 0.99) == 1
    assert ewma_widgets.percent(0.9999) == "over 99%" and ewma_widgets.percent(1.0) == "100%"
