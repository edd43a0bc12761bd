"""`make html` renders every lecture, figures and formulas included, with an index in course order."""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import REPO
from rnncourse import notebooks, site

LECTURES = notebooks.lectures(REPO)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    return out, site.build(out)


def test_index_lists_every_lecture_in_course_order(built):
    out, pages = built
    assert pages[-1] == out / "index.html"
    index = (out / "index.html").read_text()
    links = re.findall(r'href="([^"]+\.html)"', index)
    assert links == [f"{lec.path.stem}.html" for lec in LECTURES]


@pytest.mark.parametrize("lecture", LECTURES, ids=[lec.path.name for lec in LECTURES])
def test_each_page_has_its_figures_and_working_links(built, lecture):
    out, _ = built
    page = (out / f"{lecture.path.stem}.html").read_text()
    assert lecture.title in page
    assert page.count('src="data:image/png;base64') >= 2, "figures are missing from the page"
    assert "Traceback (most recent call last)" not in page
    assert "../README.md" not in page and ".ipynb)" not in page  # links point at pages
    for target in set(re.findall(r'href="(\d\d-[^"#]+\.html)"', page)):
        assert (out / target).exists(), f"link to a missing page {target}"
    assert f'<script src="{site.MATHJAX_URL}">' in page  # formulas drawn from the site's copy
    assert not re.findall(r'<script[^>]+src="https?:', page)  # nothing from the network


def test_mathjax_is_copied_beside_the_pages_with_the_course_settings(built):
    out, _ = built
    mathjax = out / "mathjax"
    for part in ("MathJax.js", "config/TeX-AMS-MML_HTMLorMML-full.js", "config/Safe.js"):
        assert (mathjax / part).is_file(), part
    assert any((mathjax / "fonts" / "HTML-CSS" / "STIX-Web").rglob("*.woff"))
    local = (mathjax / "config" / "local" / "course.js").read_text()
    assert 'webFont: "STIX-Web"' in local and "[MathJax]/config/local/course.js" in local


def test_freeze_widgets_shows_the_figure_a_widget_displayed():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("w")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={site.WIDGET_MIME: {"model_id": "box", "version_major": 2, "version_minor": 0}},
        )
    ]
    nb.cells = [cell]
    figure = {"output_type": "display_data", "data": {"image/png": "iVBORw0KGgo="}, "metadata": {}}
    nb.metadata["widgets"] = {
        site.WIDGET_STATE: {
            "state": {
                "box": {"state": {"children": ["IPY_MODEL_slider", "IPY_MODEL_out"]}},
                "slider": {"state": {"value": 3}},
                "out": {"state": {"outputs": [figure]}},
            }
        }
    }
    assert site.freeze_widgets(nb) == 1
    kinds = [list(o["data"]) for o in nb.cells[0].outputs]
    assert kinds == [["text/markdown"], ["image/png"]]
    assert "widgets" not in nb.metadata


def test_index_page_says_how_to_run_the_lectures_without_asking_for_a_clone():
    page = site.index_page([])
    assert "make lab" in page and "clone" not in page.lower()


def test_relink_points_links_to_the_readme_at_the_index_and_lectures_at_their_pages():
    lecture = LECTURES[1].path.name
    cell = nbformat.v4.new_markdown_cell(
        f"[Contents](../README.md#Contents) · [old](../README.md#contents) · [next]({lecture})"
    )
    nb = nbformat.v4.new_notebook(cells=[cell])
    site.relink(nb)
    assert nb.cells[0].source == (
        f"[Contents](index.html) · [old](index.html) · [next]({LECTURES[1].path.stem}.html)"
    )
