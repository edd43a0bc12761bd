"""Lecture 1's widget: scrub through a generated movie and a real price series.

Steps are counted from 1, as in the lectures' ``t = 1, ..., T``: the sliders, the titles and the
arguments of :func:`movie_and_series_figure` all say "frame 12" for the twelfth frame.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import data, plots
from . import int_slider, interactive_figure

FRAME_SLIDER = "frame of the movie"  # each slider's description says what it moves
MONTH_SLIDER = "month of the price series"


def movie_and_series_figure(frames: np.ndarray, series: data.Series, frame: int, month: int):
    """Frame number ``frame`` of a movie with the ball's path so far, beside a series up to ``month``.

    ``frames``: (T, size, size); ``frame`` counts from 1 to T and ``month`` from 1 to the series'
    length. Both panels show the same lesson: at any moment only the past is known, and the order
    of the past is what tells where things are heading. The legend of the movie sits below the
    frame, so it never hides the ball.
    """
    if not 1 <= frame <= len(frames):
        raise ValueError(f"frame must lie in [1, {len(frames)}] (frames count from 1)")
    if not 1 <= month <= len(series):
        raise ValueError(f"month must lie in [1, {len(series)}] (months count from 1)")
    fig, (ax_movie, ax_series) = plots.figure(
        1, 2, figsize=(9.2, 3.9), gridspec_kw={"width_ratios": [1, 2.1]}
    )
    ax_movie.imshow(frames[frame - 1], cmap="gray_r", vmin=0, vmax=1, origin="upper")
    path = data.ball_positions(frames[:frame])  # (frame, 2): rows and columns of frames 1..frame
    ax_movie.plot(
        path[:, 1],
        path[:, 0],
        "-o",
        color=plots.COLORS["vermillion"],
        markersize=3,
        label="the ball's path so far",
    )
    ax_movie.grid(False)
    plots.label(ax_movie, f"Movie: frame {frame} of {len(frames)}", "column (pixel)", "row (pixel)")
    # below the frame, so it never hides the ball; a figure legend "outside", so that the layout
    # reserves its room at the first draw (an axes legend anchored below does not)
    fig.legend(*ax_movie.get_legend_handles_labels(), loc="outside lower left", handlelength=1.5)

    known = slice(0, month)
    ax_series.plot(
        series.dates,
        series.values,
        "--",
        color=plots.COLORS["grey"],
        linewidth=1.0,
        label="the future (unknown at this month)",
    )
    ax_series.plot(
        series.dates[known],
        series.values[known],
        color=plots.COLORS["blue"],
        linewidth=2.2,
        label="known so far",
    )
    ax_series.plot(
        series.dates[month - 1], series.values[month - 1], "o", color=plots.COLORS["vermillion"]
    )
    plots.label(
        ax_series,
        f"{series.name}: month {month} of {len(series)} ({str(series.dates[month - 1])[:7]})",
        "date",
        f"price ({series.unit})",
    )
    ax_series.legend(loc="upper left")
    fig.suptitle("A sequence is read one step at a time: only the past is known", fontweight="bold")
    return fig


def movie_and_series_widget(frames: np.ndarray, series: data.Series) -> widgets.interactive:
    """Two sliders, counting from 1 like the titles: the movie's frame and the series' month."""
    sliders = {
        "frame": int_slider(1, 1, len(frames), FRAME_SLIDER),
        "month": int_slider(len(series) // 2, 1, len(series), MONTH_SLIDER),
    }
    for slider in sliders.values():
        slider.layout.width = "560px"  # room for the description and a long track
    return interactive_figure(
        lambda frame, month: movie_and_series_figure(frames, series, frame, month), **sliders
    )
