"""The house style is applied, and helpers refuse unlabelled figures."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest

from rnncourse import plots


def test_use_style_sets_the_colour_blind_safe_cycle():
    mpl.rcdefaults()
    plots.use_style()
    colors = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
    assert colors[:3] == ["#0072B2", "#E69F00", "#009E73"]
    assert not mpl.rcParams["axes.spines.top"]


def test_label_requires_all_three_texts():
    fig, (ax,) = plots.figure()
    with pytest.raises(ValueError, match="title"):
        plots.label(ax, "", "x", "y")
    plots.label(ax, "A point", "time (s)", "value")
    assert plots.unlabelled_axes(fig) == []


def test_unlabelled_axes_names_what_is_missing():
    fig, (ax,) = plots.figure()
    ax.set_title("only a title")
    assert plots.unlabelled_axes(fig) == ["axes 0: x label", "axes 0: y label"]


def test_heatmap_centres_signed_data_and_draws_the_array():
    fig, (ax,) = plots.figure()
    values = np.array([[-1.0, 2.0], [0.5, 0.0]])
    image = plots.heatmap(ax, values, title="t", xlabel="x", ylabel="y")
    assert image.get_clim() == (-2.0, 2.0)
    assert np.array_equal(image.get_array(), values)
    with pytest.raises(ValueError, match="2-D"):
        plots.heatmap(ax, np.zeros(3), title="t", xlabel="x", ylabel="y")


def test_filmstrip_shows_the_requested_frames():
    frames = np.random.default_rng(0).random((10, 4, 4))
    fig = plots.filmstrip(frames, [0, 5, 9], title="strip")
    shown = [ax.images[0].get_array() for ax in fig.axes]
    assert len(shown) == 3 and np.array_equal(shown[1], frames[5])
    assert [ax.get_title() for ax in fig.axes] == ["t = 1", "t = 6", "t = 10"]
