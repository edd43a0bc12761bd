"""Feedback on a failing exercise-1 submission: what is wrong, in words, and nothing hidden.

nbgrader's feedback is the autograded notebook rendered as HTML. That notebook holds every hidden
test (the locked test cells are restored from the source before grading) and its tracebacks quote
the hidden lines that failed, so without the course's ``HideHiddenTests`` preprocessor a student
would read them. This test grades a submission that fails only hidden tests, shows that the
autograded notebook does contain the hidden lines, and that the feedback HTML does not.
"""

from __future__ import annotations

import re
import time

import nbformat
import pytest
from nbgrader_course import corpus, hidden_lines, page_text, solved, with_answers

from conftest import REPO
from rnncourse.grading.course import Course
from rnncourse.grading.feedback import HIDDEN_NOTE

ASSIGNMENT = "ex1-forward"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
DECIMAL = re.compile(r"\d+\.\d{3,}")


@pytest.mark.slow
def test_feedback_names_the_mistakes_without_hidden_tests_or_expected_values(
    tmp_path, record_property
):
    course = Course(tmp_path / "course")
    released = course.generate_assignment(ASSIGNMENT)
    student_version = nbformat.read(released / f"{ASSIGNMENT}.ipynb", as_version=4)
    source = nbformat.read(REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    implementations = {impl.name: impl for impl in corpus("ex1")}
    # Both mistakes pass every visible test: only hidden tests fail.
    answers = {
        **implementations["wrong_rnn_step_W_not_transposed"].cells,
        **implementations["wrong_ewma_float32"].cells,
    }
    submission = with_answers(solved(student_version, source), answers)
    course.submit(ASSIGNMENT, "learner", {ASSIGNMENT: submission})

    start = time.perf_counter()
    course.autograde(ASSIGNMENT, "learner")
    seconds = time.perf_counter() - start
    record_property("autograde_one_submission_seconds", round(seconds, 1))
    print(f"\nautograding one submission took {seconds:.1f} s (nbgrader start-up included)")
    lost = course.results(ASSIGNMENT)["learner"].lost()
    assert lost == ["ewma-tests", "rnn-step-tests", "rnn-forward-tests", "deep-rnn-forward-tests"]

    submitted_text = "\n".join(c.source for c in submission.cells)
    secret = hidden_lines(source, submitted_text)
    assert len(secret) > 100

    # The raw material leaks: hidden tests in the cells, hidden lines quoted in the tracebacks.
    graded = course.autograded_notebook(ASSIGNMENT, "learner")
    graded_sources = "\n".join(c.source for c in graded.cells)
    assert all(line in graded_sources for line in secret)
    tracebacks = ANSI.sub(
        "",
        "\n".join(
            "\n".join(out.traceback)
            for c in graded.cells
            if c.cell_type == "code"
            for out in c.outputs
            if out.output_type == "error"
        ),
    )
    assert any(line in tracebacks for line in secret)

    # The feedback does not.
    course.generate_feedback(ASSIGNMENT, "learner")
    text = page_text(course.feedback_html(ASSIGNMENT, "learner"))
    assert sorted(line for line in secret if line in text) == []
    assert text.count(HIDDEN_NOTE) == 5
    assert "W is applied transposed" in text and "as if rounded to float32" in text
    assert "h_prev @ W + x_t @ U.T + b" in text  # the student's own code stays
    # No number appears that the student did not write themselves.
    assert set(DECIMAL.findall(text)) <= set(DECIMAL.findall(submitted_text))
