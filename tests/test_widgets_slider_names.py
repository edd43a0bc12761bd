"""Every widget brings the script that names its slider handles for screen readers.

Whether the script names them is checked in a real JupyterLab (tests/test_browser.py); here, only
what the kernel sends when a widget is displayed.
"""

from __future__ import annotations

from rnncourse import plots, widgets

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def shown_when_displayed(w, monkeypatch) -> list[dict]:
    bundles: list[dict] = []
    monkeypatch.setattr(widgets, "display", lambda bundle, raw: bundles.append(bundle))
    w._ipython_display_()  # what IPython calls to display the widget
    return bundles


def a_widget():
    return widgets.interactive_figure(
        lambda k: plots.figure()[0], k=widgets.int_slider(1, 0, 5, "k (what it moves)")
    )


def test_a_displayed_widget_is_followed_by_the_script_that_names_its_handles(monkeypatch):
    w = a_widget()
    view, script = shown_when_displayed(w, monkeypatch)
    assert view[WIDGET_MIME]["model_id"] == w.model_id
    # The script alone, no text/plain: where it may not run (an untrusted notebook), nothing shows.
    assert script == {"application/javascript": widgets.NAME_SLIDER_HANDLES_JS}
