"""Notebooks are committed clean, lectures share one structure, and generated parts are current."""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest
from jupyter_client.manager import KernelManager

from conftest import REPO
from rnncourse import notebooks

COURSE_NOTEBOOKS = notebooks.course_notebooks(REPO)
LECTURES = notebooks.lectures(REPO)


def ids(paths):
    return [str(p.relative_to(REPO)) for p in paths]


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=ids(COURSE_NOTEBOOKS))
def test_notebook_is_committed_clean(path):
    assert notebooks.cleanliness_problems(path) == []


def test_cleanliness_check_catches_outputs_counts_and_formatting(tmp_path):
    source = LECTURES[0].path
    nb = notebooks.read(source)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi\n")]
    code.execution_count = 3
    dirty = tmp_path / "dirty.ipynb"
    dirty.write_text(nbformat.writes(nb))
    problems = notebooks.cleanliness_problems(dirty)
    assert any("outputs" in p for p in problems) and any("execution count" in p for p in problems)

    squashed = tmp_path / "squashed.ipynb"  # clean content, but not in canonical JSON form
    squashed.write_text(nbformat.writes(notebooks.read(source), indent=None))
    assert notebooks.cleanliness_problems(squashed) == [
        "JSON is not in canonical form (run `make fmt`)"
    ]
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    assert "not a readable notebook" in notebooks.cleanliness_problems(broken)[0]


def test_strip_then_write_makes_a_dirty_notebook_clean(tmp_path):
    nb = notebooks.read(LECTURES[0].path)
    nb.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x")]
    path = tmp_path / "n.ipynb"
    notebooks.write(notebooks.strip(nb), path)
    assert notebooks.cleanliness_problems(path) == []


def test_lectures_are_numbered_from_one_without_gaps():
    assert [lec.number for lec in LECTURES] == list(range(1, len(LECTURES) + 1))


@pytest.mark.parametrize("lecture", LECTURES, ids=[lec.path.name for lec in LECTURES])
def test_lecture_has_the_shared_structure(lecture):
    assert notebooks.structure_problems(notebooks.read(lecture.path)) == []


def test_structure_check_fails_on_a_lecture_missing_its_parts():
    nb = notebooks.read(LECTURES[0].path)
    nb.cells = [c for c in nb.cells if "## Summary" not in c.source and not notebooks.is_nav(c)]
    problems = notebooks.structure_problems(nb)
    assert "needs a '## Summary' section" in problems
    assert "needs navigation cells right after the H1 and at the very end" in problems
    nb.cells.insert(0, nbformat.v4.new_markdown_cell("# A second title"))
    assert "needs exactly one H1, '# Lecture N — Title'" in notebooks.structure_problems(nb)


def test_navigation_and_readme_contents_are_current():
    assert notebooks.stale_navigation(REPO) == [], "run `make nav` and commit the result"


def test_stale_navigation_is_detected(tmp_path):
    shutil.copytree(REPO / "lectures", tmp_path / "lectures")
    shutil.copy(REPO / "README.md", tmp_path / "README.md")
    notebooks.regenerate_navigation(tmp_path)  # current everywhere, whatever the repository's state
    path = tmp_path / "lectures" / LECTURES[0].path.name
    nb = notebooks.read(path)
    nb.cells[1].source = "[somewhere else](nowhere.ipynb)"
    notebooks.write(nb, path)
    assert notebooks.stale_navigation(tmp_path) == [path.name]
    notebooks.regenerate_navigation(tmp_path)
    assert notebooks.stale_navigation(tmp_path) == []


def test_navigation_links_neighbours():
    lecs = [notebooks.Lecture(i, f"T{i}", REPO / f"lectures/0{i}-t.ipynb") for i in (1, 2, 3)]
    middle = notebooks.navigation_source(lecs, 1)
    assert middle == (
        "[← Lecture 1 — T1](01-t.ipynb) · [Contents](../README.md#Contents) · "
        "[Lecture 3 — T3 →](03-t.ipynb)"
    )
    assert notebooks.navigation_source(lecs, 0).startswith("[Contents]")
    assert notebooks.navigation_source(lecs, 2).endswith("(../README.md#Contents)")


def test_contents_link_names_the_readme_heading_as_jupyterlab_ids_it():
    """JupyterLab's Markdown preview scrolls to the heading whose id equals the fragment exactly;
    the id is the heading's text with spaces as hyphens, case kept (rendermime's createHeaderId)."""
    path, fragment = notebooks.CONTENTS_LINK.split("#")
    readme = (REPO / "lectures" / path).resolve().read_text(encoding="utf-8")
    headings = [line.lstrip("#").strip() for line in readme.splitlines() if line.startswith("#")]
    assert fragment in [h.replace(" ", "-") for h in headings]
    assert readme.find(f"## {fragment}") < readme.find(notebooks.CONTENTS_START)


def test_committed_language_info_is_what_the_kernel_reports_minus_the_python_version(tmp_path):
    """JupyterLab compares the kernel's language_info with the notebook's, and marks a notebook
    modified when they differ; the version is filled in when the course's JupyterLab opens it."""
    manager = KernelManager(
        kernel_name="python3", transport="ipc", connection_file=str(tmp_path / "kernel.json")
    )
    manager.start_kernel()
    try:
        client = manager.blocking_client()
        client.start_channels()
        reply = client.kernel_info(reply=True, timeout=60)["content"]["language_info"]
        client.stop_channels()
    finally:
        manager.shutdown_kernel(now=True)
    assert {k: v for k, v in reply.items() if k != "version"} == notebooks.LANGUAGE_INFO
    assert notebooks.kernel_language_info() == reply
    nb = notebooks.strip(notebooks.read(LECTURES[0].path))
    assert nb.metadata["language_info"] == notebooks.LANGUAGE_INFO
    assert notebooks.with_kernel_language_info(nb).metadata["language_info"] == reply


def test_kernel_language_info_is_given_only_to_python3_notebooks():
    other = {"metadata": {"kernelspec": {"name": "ir"}, "language_info": {"name": "R"}}}
    assert notebooks.with_kernel_language_info(other)["metadata"]["language_info"] == {"name": "R"}


def test_readme_contents_table_lists_every_lecture_in_order():
    readme = (REPO / "README.md").read_text()
    positions = [readme.find(f"]({lec.path.relative_to(REPO).as_posix()})") for lec in LECTURES]
    assert all(p > 0 for p in positions) and positions == sorted(positions)


def test_format_paths_cleans_one_lecture_and_adds_its_navigation(tmp_path):
    shutil.copytree(REPO / "lectures", tmp_path / "lectures")
    shutil.copy(REPO / "README.md", tmp_path / "README.md")
    path = tmp_path / "lectures" / LECTURES[0].path.name
    nb = notebooks.read(path)
    nb.cells = [c for c in nb.cells if not notebooks.is_nav(c)]
    nb.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x")]
    path.write_text(nbformat.writes(nb))
    readme_before = (tmp_path / "README.md").read_text()
    assert notebooks.format_paths([path], tmp_path) == [path]
    assert notebooks.cleanliness_problems(path) == []
    assert notebooks.structure_problems(notebooks.read(path)) == []
    assert (tmp_path / "README.md").read_text() == readme_before


FRAGMENT_LINK = re.compile(r"\]\(([^)#\s]+\.(?:ipynb|md))#([^)\s]+)\)")


def _jupyterlab_heading_ids(markdown: str) -> set[str]:
    """Ids JupyterLab gives the headings of ``markdown``: their text, spaces as hyphens."""
    return {
        line.lstrip("#").strip().replace(" ", "-")
        for line in markdown.splitlines()
        if re.match(r"^#{1,6} ", line)
    }


@pytest.mark.parametrize("lecture", LECTURES, ids=[lec.path.name for lec in LECTURES])
def test_links_into_other_files_name_a_place_that_exists(lecture):
    """A fragment JupyterLab cannot find opens the file at its top: `#cell-id=ID` must name a
    cell of the target notebook, any other fragment one of its headings."""
    for cell in notebooks.read(lecture.path).cells:
        if cell.cell_type != "markdown":
            continue
        for target, fragment in FRAGMENT_LINK.findall(cell.source):
            path = (lecture.path.parent / target).resolve()
            assert path.is_file(), f"{lecture.path.name} links to a missing {target}"
            if path.suffix == ".md":
                assert fragment in _jupyterlab_heading_ids(path.read_text(encoding="utf-8"))
                continue
            linked = notebooks.read(path)
            if fragment.startswith("cell-id="):
                assert fragment.removeprefix("cell-id=") in [c.get("id") for c in linked.cells]
            else:
                text = "\n".join(c.source for c in linked.cells if c.cell_type == "markdown")
                assert fragment in _jupyterlab_heading_ids(text), f"{target}#{fragment}"
