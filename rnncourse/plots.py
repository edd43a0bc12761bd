"""The course's one plotting style: labelled axes, a title that states the point, safe colours.

Call :func:`use_style` once in a notebook's set-up cell; every figure after it shares the look.
Colours come from the Okabe-Ito palette, which stays distinct for the common kinds of colour
blindness and in greyscale print. In a notebook, :func:`use_style` also has the inline backend
draw each figure once instead of twice (:func:`png`): the lectures draw about sixty figures, and
drawing is most of their run time.
"""

from __future__ import annotations

import base64
import functools
import io

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler

# Okabe & Ito (2008), "Color Universal Design"; black is kept for reference lines.
COLORS = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#999999",
}
CYCLE = [COLORS[k] for k in ("blue", "orange", "green", "vermillion", "sky", "purple", "yellow")]
# A perceptually uniform map for heatmaps of values in one sign, a diverging one for signed values.
SEQUENTIAL_CMAP = "viridis"
DIVERGING_CMAP = "RdBu_r"

STYLE = {
    "figure.figsize": (8.0, 3.6),
    "figure.dpi": 100,
    "figure.constrained_layout.use": True,
    "axes.prop_cycle": cycler(color=CYCLE),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.25,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "image.cmap": SEQUENTIAL_CMAP,
    "savefig.bbox": "tight",
}


#: The widest figure a notebook shows at full size, in inches at the house dpi (wider ones shrink).
NOTEBOOK_WIDTH = 9.5
#: Ink this close to the edge of the canvas (pixels) may have been cut off by it.
EDGE_PIXELS = 2


def use_style() -> None:
    """Apply the house style to every later figure (idempotent); inline, figures show by :func:`png`."""
    mpl.rcParams.update(STYLE)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing is shown inline
        return
    show_inline_figures_with_png(get_ipython())


def label(ax, title: str, xlabel: str, ylabel: str):
    """Set the three texts every axis must have; returns ``ax`` so calls can be chained."""
    if not (title and xlabel and ylabel):
        raise ValueError("every axis needs a title, an x label and a y label")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def heatmap(ax, values, *, title: str, xlabel: str, ylabel: str, diverging=None, colorbar="value"):
    """Draw a 2-D array with row 0 at the top; signed data get a diverging map centred on 0.

    ``values``: shape (rows, columns). Returns the image so callers can read back what was drawn.
    """
    values = np.asarray(values, dtype=float)
    if values.ndim != 2:
        raise ValueError(f"heatmap needs a 2-D array, got shape {values.shape}")
    if diverging is None:
        diverging = bool(values.min() < 0 < values.max())
    if diverging:
        limit = float(np.abs(values).max()) or 1.0
        image = ax.imshow(values, cmap=DIVERGING_CMAP, vmin=-limit, vmax=limit, aspect="auto")
    else:
        image = ax.imshow(values, cmap=SEQUENTIAL_CMAP, aspect="auto")
    ax.grid(False)
    label(ax, title, xlabel, ylabel)
    if colorbar:
        ax.figure.colorbar(image, ax=ax, label=colorbar)
    return image


def figure(nrows: int = 1, ncols: int = 1, **kwargs):
    """``plt.subplots`` in the house style: the style is applied first, axes always a flat array."""
    use_style()
    fig, axes = plt.subplots(nrows, ncols, squeeze=False, **kwargs)
    return fig, axes.ravel()


def unlabelled_axes(fig) -> list[str]:
    """Names of the axes of ``fig`` missing a title or an axis label (for tests and self-checks)."""
    missing = []
    for i, ax in enumerate(fig.axes):
        if ax.get_label() == "<colorbar>" or not ax.axison:
            continue
        for part, text in (
            ("title", ax.get_title()),
            ("x label", ax.get_xlabel()),
            ("y label", ax.get_ylabel()),
        ):
            if not text:
                missing.append(f"axes {i}: {part}")
    return missing


def filmstrip(frames, steps, *, title: str):
    """Frames (T, rows, cols) at the given time steps side by side, each boxed and labelled."""
    frames = np.asarray(frames)
    steps = list(steps)
    fig, axes = figure(1, len(steps), figsize=(1.5 * len(steps), 2.0))
    for ax, t in zip(axes, steps, strict=True):
        ax.imshow(frames[t], cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(f"t = {t + 1}", fontsize=9, fontweight="normal")
        ax.set(xticks=[], yticks=[])
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(True)
    fig.suptitle(title, fontweight="bold")
    return fig


# --------------------------------------------------------------------------- notebook output


def png(fig) -> str | None:
    """The PNG a notebook shows for ``fig``, base64-encoded: the figure's own canvas, drawn once.

    IPython's inline backend saves each figure with ``bbox_inches="tight"``: a dry-run draw lays
    the figure out and measures every artist, then the figure is drawn again on a canvas cropped
    to them, where every text is measured afresh. A figure laid out by the house style's
    constrained layout already fits its canvas, so one draw of the canvas shows the same picture
    in about a third less time. A figure whose ink still reaches the edge of its canvas after a
    second draw (a title longer than the figure, a legend pushed outside), or one wider than a
    notebook, is saved the tight way, so nothing is ever cut off. Returns None for an empty
    figure, as IPython does.
    """
    from IPython.core.pylabtools import print_figure

    if not fig.axes and not fig.lines:
        return None
    canvas = fig.canvas
    if fig.get_figwidth() <= NOTEBOOK_WIDTH and hasattr(canvas, "buffer_rgba"):
        # The layout engine runs inside each draw. Constrained layout sometimes needs a second
        # draw to settle (an equal-aspect diagram with a caption below): one more draw is still
        # cheaper than the tight way, which costs two.
        for _ in range(2):
            canvas.draw()
            rgba = np.asarray(canvas.buffer_rgba())  # (rows, columns, 4) uint8
            if _ink_clear_of_edges(rgba, fig.get_facecolor()):
                out = io.BytesIO()
                # what savefig writes, compressed faster (zlib level 1: 7 % larger, 40 % less time)
                mpl.image.imsave(
                    out, rgba, format="png", dpi=fig.dpi, pil_kwargs={"compress_level": 1}
                )
                return base64.b64encode(out.getvalue()).decode("ascii")
            if fig.get_layout_engine() is None:
                break  # nothing would move at a second draw
    return print_figure(fig, "png", bbox_inches="tight", base64=True)


def _ink_clear_of_edges(rgba: np.ndarray, facecolor) -> bool:
    """True when the outer EDGE_PIXELS of an image (rows, columns, 4) are all background."""
    background = np.round(255 * np.asarray(mpl.colors.to_rgba(facecolor))).astype(np.uint8)
    e = EDGE_PIXELS
    border = [rgba[:e], rgba[-e:], rgba[:, :e], rgba[:, -e:]]
    return all(np.all(part == background) for part in border)


def show_inline_figures_with_png(shell) -> bool:
    """Have IPython's inline backend show figures through :func:`png`; True when it does.

    Only IPython's own default PNG printer is replaced (``figure_formats`` "png",
    ``print_figure_kwargs`` unchanged): a retina, SVG or otherwise configured set-up is left alone,
    and ``%matplotlib inline`` or ``%config InlineBackend`` restore IPython's printer.
    """
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    if "inline" not in mpl.get_backend():
        return False
    from IPython.core.pylabtools import print_figure
    from matplotlib.figure import Figure

    formatter = shell.display_formatter.formatters["image/png"]
    if Figure not in formatter.type_printers:  # pyplot loads its backend at the first figure:
        plt.switch_backend(mpl.get_backend())  # load it now, so that its printer can be replaced
    printer = formatter.type_printers.get(Figure)
    if printer is png:
        return True
    default = {"fmt": "png", "base64": True, "bbox_inches": "tight"}
    if not (
        isinstance(printer, functools.partial)
        and printer.func is print_figure
        and not printer.args
        and printer.keywords == default
    ):
        return False
    formatter.for_type(Figure, png)
    return True
