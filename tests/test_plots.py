"""The house style is applied, and helpers refuse unlabelled figures."""

from __future__ import annotations

import base64
import functools
import io
from types import SimpleNamespace

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


def _png_size(encoded: str) -> tuple[int, int]:
    from PIL import Image

    return Image.open(io.BytesIO(base64.b64decode(encoded))).size


def test_png_shows_a_figure_that_fits_as_its_whole_canvas_drawn_once():
    fig, (ax,) = plots.figure(figsize=(4, 3))
    ax.plot([0, 1], [0, 1])
    plots.label(ax, "A line", "time (s)", "value")
    draws = []
    fig.canvas.mpl_connect("draw_event", draws.append)
    assert _png_size(plots.png(fig)) == (400, 300)  # 4 x 3 inches at the house dpi of 100
    assert len(draws) == 1
    plots.plt.close(fig)


def test_png_keeps_a_title_that_sticks_out_of_the_canvas():
    fig, (ax,) = plots.figure(figsize=(4, 3))
    plots.label(
        ax, "A title far too long for a figure four inches wide, so it sticks out", "x", "y"
    )
    width, _ = _png_size(plots.png(fig))
    assert width > 400  # saved the tight way: the picture grew to hold the whole title
    plots.plt.close(fig)


def test_png_lets_a_layout_that_needs_a_second_draw_settle_instead_of_cropping():
    from rnncourse.widgets import deep

    fig = deep.grid_figure(T=4, L=3)  # lecture 5's widget: its first layout clips the title
    draws = []
    fig.canvas.mpl_connect("draw_event", draws.append)
    size = tuple(round(v * fig.dpi) for v in fig.get_size_inches())
    assert _png_size(plots.png(fig)) == size  # the canvas itself, not a tight crop
    assert len(draws) == 2
    rgba = np.asarray(fig.canvas.buffer_rgba())
    assert plots._ink_clear_of_edges(rgba, fig.get_facecolor())  # nothing was cut off
    plots.plt.close(fig)


def test_png_of_an_empty_figure_is_nothing():
    fig = plots.plt.figure()
    assert plots.png(fig) is None
    plots.plt.close(fig)


def _shell_showing_pngs_with(printer):
    from IPython.core.formatters import PNGFormatter
    from matplotlib.figure import Figure

    formatter = PNGFormatter()
    formatter.for_type(Figure, printer)
    return SimpleNamespace(display_formatter=SimpleNamespace(formatters={"image/png": formatter}))


def test_the_inline_backends_default_png_printer_is_replaced_by_png(monkeypatch):
    from IPython.core.pylabtools import print_figure
    from matplotlib.figure import Figure

    monkeypatch.setattr(mpl, "get_backend", lambda: "module://matplotlib_inline.backend_inline")
    default = functools.partial(print_figure, fmt="png", base64=True, bbox_inches="tight")
    shell = _shell_showing_pngs_with(default)
    assert plots.show_inline_figures_with_png(shell)
    assert shell.display_formatter.formatters["image/png"].type_printers[Figure] is plots.png


def test_a_retina_or_otherwise_configured_inline_backend_is_left_alone(monkeypatch):
    from IPython.core.pylabtools import print_figure, retina_figure
    from matplotlib.figure import Figure

    monkeypatch.setattr(mpl, "get_backend", lambda: "module://matplotlib_inline.backend_inline")
    for printer in (
        functools.partial(retina_figure, base64=True, bbox_inches="tight"),
        functools.partial(print_figure, fmt="png", base64=True, bbox_inches="tight", dpi=200),
    ):
        shell = _shell_showing_pngs_with(printer)
        assert not plots.show_inline_figures_with_png(shell)
        assert shell.display_formatter.formatters["image/png"].type_printers[Figure] is printer
    assert not plots.show_inline_figures_with_png(None)  # plain Python: no shell at all
