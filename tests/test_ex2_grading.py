"""Exercise 2 graded by nbgrader, as an instructor would grade it.

One ``nbgrader autograde`` run in a temporary course directory grades every submission at once
(one student per implementation), and the scores are read from the gradebook:

* the worked solution (``solutions/ex2-bptt``) gets every autograded point, training included;
* the untouched student version gets 0 and does not hang;
* every ``tests/corpus/ex2/wrong_*.py`` loses the points of the test cell of each function it
  gets wrong, and every ``correct_*.py`` (gradients in the loop or after it with einsum, column
  vectors, float32-preserving) keeps them all.

It is one test on purpose: with ``pytest -n``, several tests sharing the batch could each start
their own copy on another worker.
"""

from __future__ import annotations

import time

import nbformat
import pytest
from nbgrader_course import corpus, solved, with_answers

from conftest import REPO
from rnncourse.grading.course import Course

ASSIGNMENT = "ex2-bptt"
# rnn_backward 5, clip_by_global_norm 2, make_windows 2, forecaster (gradients and training) 3
AUTOGRADED_POINTS = 12
IMPLEMENTATIONS = corpus("ex2")


def test_the_corpus_is_large_and_every_file_names_real_answer_cells():
    wrong = [i for i in IMPLEMENTATIONS if not i.correct]
    correct = [i for i in IMPLEMENTATIONS if i.correct]
    assert len(wrong) >= 15 and len(correct) >= 3
    source = nbformat.read(REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    for impl in IMPLEMENTATIONS:
        assert impl.what, f"{impl.name}: say in its docstring what the implementation does"
        with_answers(source, impl.cells)  # raises KeyError for an unknown grade_id


@pytest.mark.slow
def test_autograder_gives_full_marks_to_correct_work_and_takes_points_from_wrong_work(
    tmp_path, record_property
):
    course = Course(tmp_path / "course")
    released = course.generate_assignment(ASSIGNMENT)
    student_version = nbformat.read(released / f"{ASSIGNMENT}.ipynb", as_version=4)
    source = nbformat.read(REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    solution = nbformat.read(REPO / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    filled = solved(student_version, source)  # what a student who wrote the solution submits

    course.submit(ASSIGNMENT, "solution", {ASSIGNMENT: solution})
    course.submit(ASSIGNMENT, "untouched", {ASSIGNMENT: student_version})
    for impl in IMPLEMENTATIONS:
        course.submit(ASSIGNMENT, impl.student, {ASSIGNMENT: with_answers(filled, impl.cells)})

    start = time.perf_counter()
    course.autograde(ASSIGNMENT)
    seconds = time.perf_counter() - start
    results = course.results(ASSIGNMENT)
    record_property("autograde_seconds", round(seconds, 1))
    record_property("submissions", len(results))
    print(f"\nautograded {len(results)} submissions in {seconds:.1f} s")

    assert sorted(results) == sorted(
        ["solution", "untouched", *(i.student for i in IMPLEMENTATIONS)]
    )
    assert results["solution"].max_score == AUTOGRADED_POINTS
    assert results["solution"].score == AUTOGRADED_POINTS, results["solution"].lost()
    assert results["solution"].manual == ("long-gaps",)
    untouched = results["untouched"]
    assert untouched.score == 0 and len(untouched.lost()) == 4
    graded = course.autograded_notebook(ASSIGNMENT, "untouched")
    errors = [
        o.ename
        for c in graded.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert "CellTimeoutError" not in errors and "NotImplementedError" in errors

    problems = []
    for impl in IMPLEMENTATIONS:
        result = results[impl.student]
        if impl.correct and result.score != AUTOGRADED_POINTS:
            problems.append(f"{impl.name} ({impl.what}) lost the points of {result.lost()}")
        if not impl.correct:
            kept = sorted({f"{gid}-tests" for gid in impl.cells} - set(result.lost()))
            if kept:
                problems.append(f"{impl.name} ({impl.what}) kept the points of {kept}")
            assert result.score < AUTOGRADED_POINTS
    assert not problems, "\n".join(problems)
