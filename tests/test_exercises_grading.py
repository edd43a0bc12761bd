"""Both exercises graded by nbgrader, as an instructor would grade them.

For each exercise, one ``nbgrader autograde`` run in a temporary course directory grades every
submission at once (one student per implementation), and the scores are read from the gradebook:

* the worked solution (``solutions/<id>``) gets every autograded point (training included, ex2);
* the untouched student version gets 0 and does not hang;
* every ``tests/corpus/<ex>/wrong_*.py`` loses the points of the test cell of each function it
  gets wrong, and every ``correct_*.py`` (loops, einsum, column vectors, float32, functional…)
  keeps them all.

Each exercise is one test on purpose: with ``pytest -n``, several tests sharing a batch could each
start their own copy on another worker.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import nbformat
import pytest
from nbgrader_course import corpus, solved, with_answers

from conftest import REPO
from rnncourse.grading.course import Course


@dataclass(frozen=True)
class Exercise:
    assignment: str
    corpus: str
    points: int  # autograded points
    graded_functions: int  # answer cells with a test cell
    min_wrong: int  # the minimum number of wrong implementations
    manual: tuple[str, ...]  # written answers, graded by the instructor


EXERCISES = [
    # neuron_as_ewma 2, rnn_forward 4, birnn_forward 2, deep_rnn_forward 2, count_parameters 2
    Exercise("ex1-forward", "ex1", 12, 5, 25, ("reading-backwards",)),
    # rnn_backward 5, last_state_loss 3, train_classifier (trained on a fresh draw) 4
    Exercise("ex2-bptt", "ex2", 12, 3, 20, ("what-your-network-reads",)),
]
IDS = [e.assignment for e in EXERCISES]


@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_the_corpus_is_large_and_every_file_names_real_answer_cells(exercise):
    implementations = corpus(exercise.corpus)
    wrong = [i for i in implementations if not i.correct]
    correct = [i for i in implementations if i.correct]
    assert len(wrong) >= exercise.min_wrong and len(correct) >= 3
    name = exercise.assignment
    source = nbformat.read(REPO / "source" / name / f"{name}.ipynb", as_version=4)
    for impl in implementations:
        assert impl.what, f"{impl.name}: say in its docstring what the implementation does"
        with_answers(source, impl.cells)  # raises KeyError for an unknown grade_id


@pytest.mark.slow
@pytest.mark.timeout(2400)  # one nbgrader run over ~50 submissions; ex2's train a network each
@pytest.mark.parametrize("exercise", EXERCISES, ids=IDS)
def test_autograder_gives_full_marks_to_correct_work_and_takes_points_from_wrong_work(
    exercise, tmp_path, record_property
):
    assignment, points = exercise.assignment, exercise.points
    implementations = corpus(exercise.corpus)
    course = Course(tmp_path / "course")
    released = course.generate_assignment(assignment)
    student_version = nbformat.read(released / f"{assignment}.ipynb", as_version=4)
    source = nbformat.read(REPO / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    solution = nbformat.read(REPO / "solutions" / assignment / f"{assignment}.ipynb", as_version=4)
    filled = solved(student_version, source)  # what a student who wrote the solution submits

    course.submit(assignment, "solution", {assignment: solution})
    course.submit(assignment, "untouched", {assignment: student_version})
    for impl in implementations:
        course.submit(assignment, impl.student, {assignment: with_answers(filled, impl.cells)})

    start = time.perf_counter()
    course.autograde(assignment)
    seconds = time.perf_counter() - start
    results = course.results(assignment)
    record_property("autograde_seconds", round(seconds, 1))
    record_property("submissions", len(results))
    print(f"\nautograded {len(results)} submissions in {seconds:.1f} s")

    assert sorted(results) == sorted(
        ["solution", "untouched", *(i.student for i in implementations)]
    )
    assert results["solution"].max_score == points
    assert results["solution"].score == points, results["solution"].lost()
    assert results["solution"].manual == exercise.manual
    untouched = results["untouched"]
    assert untouched.score == 0 and len(untouched.lost()) == exercise.graded_functions
    graded = course.autograded_notebook(assignment, "untouched")
    errors = [  # the checks turn NotImplementedError into "… is not implemented yet (it raises …)"
        f"{o.ename}: {o.evalue}"
        for c in graded.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert not any("CellTimeoutError" in e for e in errors)
    assert any("NotImplementedError" in e for e in errors)

    problems = []
    for impl in implementations:
        result = results[impl.student]
        if impl.correct and result.score != points:
            problems.append(f"{impl.name} ({impl.what}) lost the points of {result.lost()}")
        if not impl.correct:
            kept = sorted({f"{gid}-tests" for gid in impl.cells} - set(result.lost()))
            if kept:
                problems.append(f"{impl.name} ({impl.what}) kept the points of {kept}")
            assert result.score < points
    assert not problems, "\n".join(problems)
