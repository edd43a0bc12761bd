"""Feedback on a failing submission: what is wrong, in words, and nothing hidden — both exercises.

nbgrader's feedback is the autograded notebook rendered as HTML. That notebook holds every hidden
test (the locked test cells are restored from the source before grading) and its tracebacks quote
the hidden lines that failed, so without the course's ``HideHiddenTests`` preprocessor a student
would read them. For each exercise this test grades a submission with two mistakes, shows that the
autograded notebook does contain the hidden lines, and that the feedback HTML does not. It also
records what autograding one submission costs (training included for ex2); `make bench` is where
speed is judged, so the figure is reported, not asserted.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import nbformat
import pytest
from nbgrader_course import corpus, hidden_lines, page_text, solved, with_answers

from conftest import REPO
from rnncourse.grading.course import Course
from rnncourse.grading.feedback import HIDDEN_NOTE

ANSI = re.compile(r"\x1b\[[0-9;]*m")
DECIMAL = re.compile(r"\d+\.\d{3,}")


@dataclass(frozen=True)
class Case:
    assignment: str
    corpus: str
    mistakes: tuple[str, ...]  # corpus files whose answers the submission holds
    lost: list[str]  # the test cells that must lose their points, in notebook order
    min_hidden_lines: int
    hidden_regions: int  # test cells with hidden tests: each leaves a note in the feedback
    phrases: tuple[str, ...]  # what the feedback must say in words
    own_code: str  # a line of the student's own code that the feedback keeps
    messages: int | None  # when set: this many error messages, all shown, none with a number


CASES = [
    # Both mistakes pass every visible test: only hidden tests fail.
    Case(
        "ex1-forward",
        "ex1",
        ("wrong_rnn_step_W_not_transposed", "wrong_ewma_float32"),
        ["ewma-tests", "rnn-step-tests", "rnn-forward-tests", "deep-rnn-forward-tests"],
        100,
        5,
        ("W is applied transposed", "as if rounded to float32"),
        "h_prev @ W + x_t @ U.T + b",
        None,
    ),
    # The first mistake fails a visible test, the second only hidden ones.
    Case(
        "ex2-bptt",
        "ex2",
        ("wrong_backward_overwrites_dhs", "wrong_clip_divides_by_zero"),
        ["rnn-backward-tests", "clip-by-global-norm-tests"],
        150,
        4,
        (
            "rnn_backward must not change its input dhs",
            "raised ZeroDivisionError (for gradients that are all zero",
        ),
        "dhs[:, t] += carry",
        2,
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES, ids=[c.assignment for c in CASES])
def test_feedback_names_the_mistakes_without_hidden_tests_or_expected_values(
    case, tmp_path, record_property
):
    name = case.assignment
    course = Course(tmp_path / "course")
    released = course.generate_assignment(name)
    student_version = nbformat.read(released / f"{name}.ipynb", as_version=4)
    source = nbformat.read(REPO / "source" / name / f"{name}.ipynb", as_version=4)
    implementations = {impl.name: impl for impl in corpus(case.corpus)}
    answers = {gid: code for m in case.mistakes for gid, code in implementations[m].cells.items()}
    submission = with_answers(solved(student_version, source), answers)
    course.submit(name, "learner", {name: submission})

    start = time.perf_counter()
    course.autograde(name, "learner")
    seconds = time.perf_counter() - start
    record_property("autograde_one_submission_seconds", round(seconds, 1))
    print(f"\nautograding one {name} submission took {seconds:.1f} s (nbgrader start-up included)")
    assert course.results(name)["learner"].lost() == case.lost

    submitted_text = "\n".join(c.source for c in submission.cells)
    secret = hidden_lines(source, submitted_text)
    assert len(secret) > case.min_hidden_lines

    # The raw material leaks: hidden tests in the cells, hidden lines quoted in the tracebacks.
    graded = course.autograded_notebook(name, "learner")
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
    course.generate_feedback(name, "learner")
    text = page_text(course.feedback_html(name, "learner"))
    assert sorted(line for line in secret if line in text) == []
    assert text.count(HIDDEN_NOTE) == case.hidden_regions
    assert all(phrase in text for phrase in case.phrases), case.phrases
    assert case.own_code in text  # the student's own code stays
    if case.messages is None:
        # No number appears that the student did not write themselves.
        assert set(DECIMAL.findall(text)) <= set(DECIMAL.findall(submitted_text))
    else:
        # The messages explain in words: no number in them (no expected value, no test size).
        messages = [str(out.evalue) for out in errors]
        assert len(messages) == case.messages and all(m in text for m in messages)
        assert not any(re.search(r"\d\.\d", m) for m in messages), messages
