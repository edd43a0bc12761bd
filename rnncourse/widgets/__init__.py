"""Interactive figures for the lectures: a plain drawing function plus a thin slider wrapper.

Each widget is two things. A ``*_figure(...)`` function takes concrete values and returns a
matplotlib figure: tests call it directly and inspect what it drew. A ``*_widget(...)`` function
wires sliders to it with :func:`interactive_figure`. Sliders update on release, so dragging stays
smooth on a slow laptop.

One module per topic holds the figures of the lecture(s) on it, e.g. ``widgets.sequences`` for
lecture 1; this file holds only what they share.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt


def interactive_figure(draw: Callable[..., plt.Figure], **controls) -> widgets.interactive:
    """Sliders (or fixed values) in ``controls`` redraw ``draw(**values)`` whenever one moves."""

    def show(**values):
        fig = draw(**values)
        plt.show()  # the inline backend renders the figure into the widget's output, then closes it
        return fig

    for control in controls.values():
        if isinstance(control, widgets.ValueWidget) and hasattr(control, "continuous_update"):
            control.continuous_update = False
    return widgets.interactive(show, **controls)


def int_slider(value: int, low: int, high: int, description: str, step: int = 1):
    return widgets.IntSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="420px"),
    )


def float_slider(value: float, low: float, high: float, step: float, description: str):
    return widgets.FloatSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        readout_format=".2f",
        style={"description_width": "initial"},
        layout=widgets.Layout(width="420px"),
    )
