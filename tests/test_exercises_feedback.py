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

import time
from dataclasses import dataclass

import nbformat
import pytest
from nbgrader_course import corpus, hidden_lines, page_text, solved, with_answers

from conftest import REPO
from rnncourse.grading.course import Course
from rnncourse.grading.feedback import HIDDEN_NOTE


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
    messages: int  # error messages (one per failing test cell), each shown whole


CASES = [
    # Two mistakes that visible tests catch too; the hidden tests add their own messages.
    Case(
        "ex1-forward",
        "ex1",
        ("wrong_forward_W_not_transposed", "wrong_count_two_biases"),
        ["rnn-forward-tests", "count-parameters-tests"],
        100,
        5,
        ("W is applied transposed", "has 3 parameters, not 4"),
        "h = np.where(real, np.tanh(h @ W + x[:, t] @ U.T + b), h)",
        2,
    ),
    # A mistake in the gradient and a training function that returns canned parameters.
    Case(
        "ex2-bptt",
        "ex2",
        ("wrong_backward_overwrites_dhs", "wrong_train_canned"),
        ["rnn-backward-tests", "train-classifier-tests"],
        150,
        3,
        ("rnn_backward changed its input dhs in place", "must learn from the data it is given"),
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

    # The raw material would leak: the graded notebook holds every hidden test.
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

    # The feedback does not.
    course.generate_feedback(name, "learner")
    text = page_text(course.feedback_html(name, "learner"))
    assert sorted(line for line in secret if line in text) == []
    assert text.count(HIDDEN_NOTE) == case.hidden_regions
    assert all(phrase in text for phrase in case.phrases), case.phrases
    assert case.own_code in text  # the student's own code stays
    # Each failing cell's message is shown whole: the visible checks that failed, in words.
    messages = [str(out.evalue) for out in errors]
    assert len(messages) == case.messages and all(m in text for m in messages)
