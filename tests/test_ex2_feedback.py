"""Feedback on a failing exercise-2 submission: what is wrong, in words, and nothing hidden.

The same proof as for exercise 1 (`test_ex1_feedback.py`): a submission that fails only hidden
tests is autograded; its autograded notebook holds the hidden tests and quotes them in tracebacks,
while the feedback HTML shows neither, and its error messages hold no number. The run also
records what one submission costs to autograde, training included (`make bench` territory: the
figure is reported, not asserted).
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

ASSIGNMENT = "ex2-bptt"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.mark.slow
def test_feedback_names_the_mistakes_without_hidden_tests_or_expected_values(
    tmp_path, record_property
):
    course = Course(tmp_path / "course")
    released = course.generate_assignment(ASSIGNMENT)
    student_version = nbformat.read(released / f"{ASSIGNMENT}.ipynb", as_version=4)
    source = nbformat.read(REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    implementations = {impl.name: impl for impl in corpus("ex2")}
    # The first mistake fails a visible test, the second only hidden ones.
    answers = {
        **implementations["wrong_backward_overwrites_dhs"].cells,
        **implementations["wrong_clip_divides_by_zero"].cells,
    }
    submission = with_answers(solved(student_version, source), answers)
    course.submit(ASSIGNMENT, "learner", {ASSIGNMENT: submission})

    start = time.perf_counter()
    course.autograde(ASSIGNMENT, "learner")
    seconds = time.perf_counter() - start
    record_property("autograde_one_submission_seconds", round(seconds, 1))
    print(f"\nautograding one submission took {seconds:.1f} s (nbgrader start-up included)")
    lost = course.results(ASSIGNMENT)["learner"].lost()
    assert lost == ["rnn-backward-tests", "clip-by-global-norm-tests"]

    submitted_text = "\n".join(c.source for c in submission.cells)
    secret = hidden_lines(source, submitted_text)
    assert len(secret) > 150

    # The raw material leaks: hidden tests in the cells, hidden lines quoted in the tracebacks.
    graded = course.autograded_notebook(ASSIGNMENT, "learner")
    graded_sources = "\n".join(c.source for c in graded.cells)
    assert all(line in graded_sources for line in secret)
    errors = [
        out
        for c in graded.cells
        if c.cell_type == "code"
        for out in c.outputs
        if out.output_type == "error"
    ]
    tracebacks = ANSI.sub("", "\n".join("\n".join(out.traceback) for out in errors))
    assert any(line in tracebacks for line in secret)

    # The feedback does not.
    course.generate_feedback(ASSIGNMENT, "learner")
    text = page_text(course.feedback_html(ASSIGNMENT, "learner"))
    assert sorted(line for line in secret if line in text) == []
    assert text.count(HIDDEN_NOTE) == 4
    assert "rnn_backward must not change its input dhs" in text
    assert "raised ZeroDivisionError (for gradients that are all zero" in text
    assert "dhs[:, t] += carry" in text  # the student's own code stays
    # The messages explain in words: no number in them (no expected value, no test size).
    messages = [str(out.evalue) for out in errors]
    assert len(messages) == 2 and all(m in text for m in messages)
    assert not any(re.search(r"\d\.\d", m) for m in messages), messages
