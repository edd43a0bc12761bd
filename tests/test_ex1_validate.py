"""What the student's Validate button reports on exercise 1 (nbgrader's Validator, as the button runs it)."""

from __future__ import annotations

import nbformat
import pytest
from nbgrader.validator import Validator
from nbgrader_course import corpus, solved, with_answers

from conftest import REPO

ASSIGNMENT = "ex1-forward"


@pytest.mark.slow
def test_validate_passes_a_solved_notebook_and_lists_what_fails_otherwise(tmp_path):
    student = nbformat.read(REPO / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    source = nbformat.read(REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    relu = next(i for i in corpus("ex1") if i.name == "wrong_rnn_step_relu")
    submissions = {
        "solved": solved(student, source),
        "relu": with_answers(solved(student, source), relu.cells),
        "untouched": student,
    }
    reports = {}
    for name, nb in submissions.items():
        path = tmp_path / f"{name}.ipynb"
        nbformat.write(nb, path)
        reports[name] = Validator().validate(str(path))

    # Solved: no failure, and no locked cell reported as changed (the released checksums hold).
    assert reports["solved"] == {}
    # A wrong step fails its visible test; the cells after it test against the student's own step.
    assert set(reports["relu"]) == {"failed"} and len(reports["relu"]["failed"]) == 1
    assert "tanh(0.8)" in reports["relu"]["failed"][0]["error"]
    assert len(reports["untouched"]["failed"]) >= 5
