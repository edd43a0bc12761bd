"""Lecture 1's widget: scrub through a generated movie and a real price series."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from .. import data, plots
from . import int_slider, interactive_figure


def movie_and_series_figure(frames: np.ndarray, series: data.Series, frame: int, step: int):
    """Frame ``frame`` of a movie with the ball's past path, beside a series known up to ``step``.

    ``frames``: (T, size, size). Both panels show the same lesson: at any moment only the past is
    known, and the order of the past is what tells where things are heading.
    """
    if not 0 <= frame < len(frames):
        raise ValueError(f"frame must lie in [0, {len(frames) - 1}]")
    if not 0 <= step < len(series):
        raise ValueError(f"step must lie in [0, {len(series) - 1}]")
    fig, (ax_movie, ax_series) = plots.figure(
        1, 2, figsize=(10, 3.6), gridspec_kw={"width_ratios": [1, 2.2]}
    )
    ax_movie.imshow(frames[frame], cmap="gray_r", vmin=0, vmax=1, origin="upper")
    path = data.ball_positions(frames[: frame + 1])
    ax_movie.plot(
        path[:, 1],
        path[:, 0],
        "-o",
        color=plots.COLORS["vermillion"],
        markersize=3,
        label="path so far",
    )
    ax_movie.grid(False)
    plots.label(
        ax_movie, f"Movie: frame {frame + 1} of {len(frames)}", "column (pixel)", "row (pixel)"
    )
    ax_movie.legend(loc="lower right", fontsize=8)

    ax_series.plot(
        series.dates,
        series.values,
        color=plots.COLORS["grey"],
        linewidth=1.0,
        label="the future (unknown at this step)",
    )
    ax_series.plot(
        series.dates[: step + 1],
        series.values[: step + 1],
        color=plots.COLORS["blue"],
        label="known so far",
    )
    ax_series.plot(series.dates[step], series.values[step], "o", color=plots.COLORS["vermillion"])
    plots.label(
        ax_series, f"{series.name}: {str(series.dates[step])[:7]}", "date", f"price ({series.unit})"
    )
    ax_series.legend(loc="upper left", fontsize=8)
    fig.suptitle("A sequence is read one step at a time: only the past is known", fontweight="bold")
    return fig


def movie_and_series_widget(frames: np.ndarray, series: data.Series) -> widgets.interactive:
    """Two sliders: scrub the movie's frame and the series' time step."""
    return interactive_figure(
        lambda frame, step: movie_and_series_figure(frames, series, frame, step),
        frame=int_slider(0, 0, len(frames) - 1, "movie frame"),
        step=int_slider(len(series) // 2, 0, len(series) - 1, "series step"),
    )
