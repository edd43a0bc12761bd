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
    fig = sequences.movie_and_series_figure(frames, series, frame=5, month=31)
    ax_movie, ax_series = fig.axes
    assert np.array_equal(ax_movie.images[0].get_array(), frames[4])  # frame 5 is index 4
    path = ax_movie.lines[0].get_xydata()
    assert len(path) == 5  # frames 1..5
    known = ax_series.lines[1].get_ydata()
    assert np.array_equal(known, series.values[:31])
    assert ax_series.lines[2].get_ydata()[0] == series.values[30]
    assert plots.unlabelled_axes(fig) == []


def test_titles_count_from_one_like_the_arguments(movie_and_series):
    frames, series = movie_and_series
    fig = sequences.movie_and_series_figure(frames, series, frame=12, month=1)
    ax_movie, ax_series = fig.axes
    assert "frame 12 of 12" in ax_movie.get_title()
    assert f"month 1 of {len(series)}" in ax_series.get_title()


def test_movie_and_series_figure_rejects_out_of_range_steps(movie_and_series):
    frames, series = movie_and_series
    with pytest.raises(ValueError, match="frame"):
        sequences.movie_and_series_figure(frames, series, frame=0, month=1)
    with pytest.raises(ValueError, match="frame"):
        sequences.movie_and_series_figure(frames, series, frame=13, month=1)
    with pytest.raises(ValueError, match="month"):
        sequences.movie_and_series_figure(frames, series, frame=1, month=len(series) + 1)


def test_the_legend_sits_outside_the_movie_so_it_never_covers_the_ball():
    frames = data.movie(n_frames=24, size=16, seed=3)  # the lecture's movie
    series = data.load_stocks("^GSPC")
    for frame in (1, 12, 24):
        fig = sequences.movie_and_series_figure(frames, series, frame, month=10)
        fig.canvas.draw()
        ax_movie = fig.axes[0]
        (legend,) = fig.legends
        legend = legend.get_window_extent()
        image = ax_movie.get_window_extent()
        assert not legend.overlaps(image), f"frame {frame}: the legend overlaps the movie"
        plots.plt.close(fig)


def test_figure_fits_the_notebook_width(movie_and_series):
    frames, series = movie_and_series
    fig = sequences.movie_and_series_figure(frames, series, frame=1, month=1)
    assert fig.get_figwidth() <= 9.5


def test_widget_sliders_count_from_one_name_what_they_move_and_match_the_titles(
    movie_and_series,
):
    frames, series = movie_and_series
    w = sequences.movie_and_series_widget(frames, series)
    frame, month = [c for c in w.children if isinstance(c, ipywidgets.IntSlider)]
    assert (frame.min, frame.max, frame.description) == (1, 12, "frame of the movie")
    assert (month.min, month.max) == (1, len(series))
    assert month.description == "month of the price series"
    assert not frame.continuous_update and not month.continuous_update
    frame.value = 7
    month.value = 40
    ax_movie, ax_series = w.result.axes  # the figure the sliders just drew
    assert f"frame {frame.value} of 12" in ax_movie.get_title()
    assert f"month {month.value} of" in ax_series.get_title()
    assert np.array_equal(ax_movie.images[0].get_array(), frames[frame.value - 1])


def test_interactive_figure_redraws_with_the_slider_value():
    seen = []

    def draw(k):
        seen.append(k)
        fig, _ = plots.figure()
        return fig

    w = widgets.interactive_figure(draw, k=widgets.int_slider(1, 0, 5, "k"))
    w.children[0].value = 3
    assert seen[-1] == 3
