"""The course's nbgrader settings load, and feedback hides hidden tests and their tracebacks."""

from __future__ import annotations

import nbformat
from traitlets.config.loader import PyFileConfigLoader

from conftest import REPO
from rnncourse.grading.feedback import HIDDEN_NOTE, HideHiddenTests


def load_config():
    return PyFileConfigLoader("nbgrader_config.py", path=str(REPO)).load_config()


def test_config_sets_the_course_layout_and_safety_settings():
    c = load_config()
    assert c.CourseDirectory.source_directory == "source"
    assert c.CourseDirectory.release_directory == "exercises"
    assert c.CourseDirectory.course_id
    assert 0 < c.Execute.timeout <= 120
    assert c.OverwriteCells.add_missing_cells is True
    assert HideHiddenTests in c.GenerateFeedback.preprocessors


def graded_test_cell(source, traceback_lines):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {
        "grade": True,
        "solution": False,
        "locked": True,
        "grade_id": "t",
        "points": 2,
        "schema_version": 3,
    }
    cell.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue="the bias is never added",
            traceback=traceback_lines,
        )
    ]
    return cell


def test_feedback_drops_hidden_tests_and_their_traceback():
    secret = "assert np.allclose(out, 0.123456)"
    source = f"# Checks that the step works\nassert ok\n### BEGIN HIDDEN TESTS\n{secret}\n### END HIDDEN TESTS"
    cell = graded_test_cell(source, ["Traceback ...", f"----> 3 {secret}", "AssertionError: ..."])
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb, _ = HideHiddenTests().preprocess(nb, {})
    text = nbformat.writes(nb)
    assert secret not in text and "0.123456" not in text
    # the opening comment and the verdict only: no test code at all, visible lines included
    assert nb.cells[0].source == f"# Checks that the step works\n{HIDDEN_NOTE}"
    assert nb.cells[0].outputs[0]["traceback"] == ["AssertionError: the bias is never added"]


def test_feedback_leaves_student_cells_alone():
    cell = nbformat.v4.new_code_cell("x = 1")
    cell.outputs = [nbformat.v4.new_output("error", ename="E", evalue="v", traceback=["line"])]
    nb, _ = HideHiddenTests().preprocess(nbformat.v4.new_notebook(cells=[cell]), {})
    assert nb.cells[0].outputs[0]["traceback"] == ["line"]
