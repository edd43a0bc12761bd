"""Build the readable HTML edition: every lecture executed and rendered, with an index page.

``python -m rnncourse.site [OUT]`` (or ``make html``) writes ``site/index.html`` and one page per
lecture. Figures are embedded in the pages and MathJax is copied beside them (from the pinned
``jupyter-server-mathjax`` package), so the folder can be copied anywhere and read offline,
formulas included: a page loads nothing from the network. A slider cannot move without a running
kernel, so each widget is replaced by the figure it showed when the lecture ran, with a note
saying that it is interactive in JupyterLab.
"""

from __future__ import annotations

import html
import re
import shutil
import sys
import time
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter

from . import notebooks

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: Where the pages load MathJax from: a copy inside the site, configured for TeX and MathML input,
#: HTML-CSS output and the "Safe" extension (as nbconvert's default), then the course's settings.
MATHJAX_URL = "mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe,local/course"
#: The course's settings: draw with the STIX-Web fonts copied with MathJax, never fetch a font.
MATHJAX_LOCAL_CONFIG = """\
MathJax.Hub.Config({
  "HTML-CSS": {availableFonts: [], preferredFont: null, webFont: "STIX-Web", imageFont: null}
});
MathJax.Ajax.loadComplete("[MathJax]/config/local/course.js");
"""
#: JupyterLab's page template without require.js, which only JavaScript outputs and live widgets
#: need (the widgets are frozen to figures): a page asks the network for nothing.
PAGE_TEMPLATE = """\
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
"""
STATIC_NOTE = (
    "*Interactive in JupyterLab: here you see the figure at the sliders' starting values.*"
)


def _widget_outputs(model_id: str, states: dict, seen: set | None = None) -> list:
    """Outputs shown by a widget: those of any Output widget among it and its children."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in states:
        return []
    seen.add(model_id)
    state = states[model_id].get("state", {})
    outputs = list(state.get("outputs", []))
    for child in state.get("children", []):
        if isinstance(child, str) and child.startswith("IPY_MODEL_"):
            outputs += _widget_outputs(child.removeprefix("IPY_MODEL_"), states, seen)
    return outputs


def freeze_widgets(nb: nbformat.NotebookNode) -> int:
    """Replace every widget view by the outputs it displayed; return how many were replaced."""
    states = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    replaced = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        new_outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_MIME)
            if view is None:
                new_outputs.append(output)
                continue
            replaced += 1
            new_outputs.append(
                nbformat.v4.new_output("display_data", data={"text/markdown": STATIC_NOTE})
            )
            for shown in _widget_outputs(view["model_id"], states):
                new_outputs.append(nbformat.from_dict(shown))
        cell.outputs = new_outputs
    nb.metadata.pop("widgets", None)
    return replaced


README_LINK = re.compile(r"\]\(\.\./README\.md(?:#[^)]*)?\)")  # the README, at any of its headings


def relink(nb: nbformat.NotebookNode) -> None:
    """Point links between lectures at the HTML pages, and links to the README at the index."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source = README_LINK.sub("](index.html)", cell.source)
            for lec in notebooks.lectures():
                source = source.replace(f"]({lec.path.name})", f"]({lec.path.stem}.html)")
            cell.source = source


def index_page(entries: list[tuple[notebooks.Lecture, str]]) -> str:
    items = "\n".join(
        f'<li><a href="{html.escape(page)}">Lecture {lec.number} — {html.escape(lec.title)}</a></li>'
        for lec, page in entries
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Recurrent Neural Networks from Scratch</title>
<style>body{{font-family:system-ui,sans-serif;max-width:46em;margin:3em auto;padding:0 1em;
line-height:1.5}} li{{margin:.4em 0}}</style></head>
<body><h1>Recurrent Neural Networks from Scratch</h1>
<p>The nine lectures, executed and rendered for reading offline. To run the code and move the
sliders, open the lectures in JupyterLab: in the course's folder, <code>make lab</code> sets up
everything and starts it (its README says how, with or without <code>make</code>).</p>
<ol>
{items}
</ol></body></html>
"""


def copy_mathjax(out: Path) -> Path:
    """Copy MathJax 2.7 (the files ``jupyter-server-mathjax`` ships) to ``out/mathjax``."""
    import jupyter_server_mathjax

    source = Path(jupyter_server_mathjax.__file__).parent / "static"
    target = out / "mathjax"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    (target / "config" / "local").mkdir(parents=True, exist_ok=True)
    (target / "config" / "local" / "course.js").write_text(MATHJAX_LOCAL_CONFIG, encoding="utf-8")
    return target


def build(out: Path, lecture_paths: list[Path] | None = None) -> list[Path]:
    """Execute and render the lectures into ``out``; return the pages written (index last)."""
    out.mkdir(parents=True, exist_ok=True)
    all_lectures = notebooks.lectures()
    wanted = {p.resolve() for p in lecture_paths} if lecture_paths else None
    copy_mathjax(out)
    exporter = HTMLExporter(
        template_name="lab",
        template_file="course-page.html.j2",
        extra_loaders=[jinja2.DictLoader({"course-page.html.j2": PAGE_TEMPLATE})],
        mathjax_url=MATHJAX_URL,
    )
    entries, written = [], []
    for lec in all_lectures:
        if wanted is not None and lec.path.resolve() not in wanted:
            continue
        start = time.perf_counter()
        nb = notebooks.execute(lec.path)
        freeze_widgets(nb)
        relink(nb)
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": lec.heading}})
        page = out / f"{lec.path.stem}.html"
        page.write_text(body, encoding="utf-8")
        entries.append((lec, page.name))
        written.append(page)
        print(f"{time.perf_counter() - start:5.1f} s  {page}")
    index = out / "index.html"
    index.write_text(index_page(entries), encoding="utf-8")
    written.append(index)
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else notebooks.REPO / "site"
    pages = build(out)
    print(f"wrote {len(pages)} pages; open {out / 'index.html'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
