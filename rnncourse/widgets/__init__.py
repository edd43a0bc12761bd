"""Interactive figures for the lectures: a plain drawing function plus a thin slider wrapper.

Each widget is two things. A ``*_figure(...)`` function takes concrete values and returns a
matplotlib figure: tests call it directly and inspect what it drew. A ``*_widget(...)`` function
wires sliders to it with :func:`interactive_figure`. Sliders update on release, so dragging stays
smooth on a slow laptop.

One module per topic holds the figures of the lecture(s) on it, e.g. ``widgets.sequences`` for
lecture 1; this file holds only what they share.

Slider handles are named for screen readers here, because ipywidgets does not do it (see
:class:`InteractiveFigure`).
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
import matplotlib.pyplot as plt
from IPython.display import display

#: Names every slider handle in the output area it runs in after its slider's description.
#: ipywidgets 8.1.9 draws a slider's handle with noUiSlider (``div.noUi-handle``, role "slider") and
#: never links it to the description (``label.widget-label``), so a screen reader announces only the
#: number. JupyterLab 4.6 and Notebook 7 run this (``@jupyterlab/javascript-extension``) when the
#: output is trusted, i.e. freshly executed; it runs before its output is attached, hence the wait.
#: Widget views render later, and a slider can redraw its handle, hence the observer; it stops when
#: the cell's outputs are cleared. It hides its own empty output row, and does nothing in the HTML
#: edition (no sliders there). tests/test_browser.py checks the names in a real JupyterLab.
NAME_SLIDER_HANDLES_JS = """\
(function () {
  var script = typeof element === "undefined" ? null : element;
  function nameHandles(area) {
    area.querySelectorAll(".widget-slider .noUi-handle:not([aria-labelledby])").forEach(
      function (handle) {
        var label = handle.closest(".widget-slider").querySelector(".widget-label");
        if (!label) return;
        if (!label.id) label.id = "slider-name-" + Math.random().toString(36).slice(2);
        handle.setAttribute("aria-labelledby", label.id);
      });
  }
  function start(tries) {
    try { watch(tries); } catch (error) { console.warn("slider names:", error); }
  }
  function watch(tries) {
    var area = script && script.closest && script.closest(".jp-OutputArea");
    if (!area) {
      if (script && tries > 0) setTimeout(start, 50, tries - 1);
      return;
    }
    var row = script.closest(".jp-OutputArea-child");
    if (row) row.style.display = "none";
    nameHandles(area);
    var observer = new MutationObserver(function () {
      if (!area.contains(script)) observer.disconnect();
      else nameHandles(area);
    });
    observer.observe(area, {childList: true, subtree: true});
  }
  start(200);
})();
"""


class InteractiveFigure(widgets.interactive):
    """An ``ipywidgets.interactive`` that, when displayed, names its slider handles.

    It shows itself as usual, then a bundle with :data:`NAME_SLIDER_HANDLES_JS` alone: no
    ``text/plain``, so where JavaScript may not run (an untrusted notebook, a terminal) nothing at
    all is shown in its place.
    """

    def _ipython_display_(self):
        display(self._repr_mimebundle_(), raw=True)
        display({"application/javascript": NAME_SLIDER_HANDLES_JS}, raw=True)


def interactive_figure(draw: Callable[..., plt.Figure], **controls) -> InteractiveFigure:
    """Sliders (or fixed values) in ``controls`` redraw ``draw(**values)`` whenever one moves."""

    def show(**values):
        fig = draw(**values)
        plt.show()  # the inline backend renders the figure into the widget's output, then closes it
        return fig

    for control in controls.values():
        if isinstance(control, widgets.ValueWidget) and hasattr(control, "continuous_update"):
            control.continuous_update = False
    return InteractiveFigure(show, **controls)


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
