"""Each widget's drawing function shows the data it is given; the widget wires sliders to it."""

from __future__ import annotations

import ipywidgets
import numpy as np
import pytest

from rnncourse import data, plots, widgets
from rnncourse.widgets import sequences


@pytest.fixture(scope="module")
def movie_and_series():
    return data.movie(12, size=10, seed=0), data.load_stocks("IBM")


def test_movie_and_series_figure_shows_the_chosen_frame_and_the_past(movie_and_series):
    frames, series = movie_and_series
    fig = sequences.movie_and_series_figure(frames, series, frame=4, step=30)
    ax_movie, ax_series = fig.axes
    assert np.array_equal(ax_movie.images[0].get_array(), frames[4])
    path = ax_movie.lines[0].get_xydata()
    assert len(path) == 5  # frames 0..4
    known = ax_series.lines[1].get_ydata()
    assert np.array_equal(known, series.values[:31])
    assert ax_series.lines[2].get_ydata()[0] == series.values[30]
    assert plots.unlabelled_axes(fig) == []


def test_movie_and_series_figure_rejects_out_of_range_steps(movie_and_series):
    frames, series = movie_and_series
    with pytest.raises(ValueError, match="frame"):
        sequences.movie_and_series_figure(frames, series, frame=12, step=0)
    with pytest.raises(ValueError, match="step"):
        sequences.movie_and_series_figure(frames, series, frame=0, step=len(series))


def test_movie_and_series_widget_has_two_sliders_over_the_full_ranges(movie_and_series):
    frames, series = movie_and_series
    w = sequences.movie_and_series_widget(frames, series)
    sliders = [c for c in w.children if isinstance(c, ipywidgets.IntSlider)]
    assert [(s.min, s.max) for s in sliders] == [(0, 11), (0, len(series) - 1)]
    assert not any(s.continuous_update for s in sliders)


def test_interactive_figure_redraws_with_the_slider_value():
    seen = []

    def draw(k):
        seen.append(k)
        fig, _ = plots.figure()
        return fig

    w = widgets.interactive_figure(draw, k=widgets.int_slider(1, 0, 5, "k"))
    w.children[0].value = 3
    assert seen[-1] == 3
