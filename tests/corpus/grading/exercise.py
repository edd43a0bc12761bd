"""One exercise as the grading corpora see it: its notebooks, cells, points and functions.

Every submission the corpora build starts from the released student version of an exercise
(``exercises/<id>/<id>.ipynb``), answered where needed with the source's solutions, so the
corpora follow the exercises when they change. The grade_ids they aim at are read from the
notebook, never written down: the *target* is the last answer cell (no other answer builds on
it), the *first* answer cell is where code meant to run before everything else goes.
"""

from __future__ import annotations

import ast
import copy
import warnings
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import nbformat
from nbgrader_course import answer_code, corpus, solved

from rnncourse.grading.validate import is_answer, is_test, is_written

REPO = Path(__file__).resolve().parents[3]


def gid(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def dump(nb) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicated cells have duplicate ids: that is the point
        return nbformat.writes(nb).encode("utf-8")


@dataclass(frozen=True)
class Exercise:
    assignment: str

    @cached_property
    def student(self) -> nbformat.NotebookNode:
        """The released student version (every answer raises NotImplementedError)."""
        path = REPO / "exercises" / self.assignment / f"{self.assignment}.ipynb"
        return nbformat.read(path, as_version=4)

    @cached_property
    def source(self) -> nbformat.NotebookNode:
        path = REPO / "source" / self.assignment / f"{self.assignment}.ipynb"
        return nbformat.read(path, as_version=4)

    @cached_property
    def solved(self) -> nbformat.NotebookNode:
        """The student version answered with the source's solutions (full marks)."""
        return solved(self.student, self.source)

    @cached_property
    def answers(self) -> list[str]:
        """grade_ids of the code answer cells, in notebook order."""
        return [gid(c) for c in self.source.cells if is_answer(c)]

    @cached_property
    def solutions(self) -> dict[str, str]:
        return {gid(c): answer_code(c) for c in self.source.cells if is_answer(c)}

    @cached_property
    def points(self) -> dict[str, float]:
        """grade_id -> points of every autograded test cell."""
        return {
            gid(c): float(c.metadata.nbgrader["points"]) for c in self.source.cells if is_test(c)
        }

    @cached_property
    def written(self) -> dict[str, float]:
        return {
            gid(c): float(c.metadata.nbgrader["points"]) for c in self.source.cells if is_written(c)
        }

    @property
    def total(self) -> float:
        """Autograded points of a fully correct submission."""
        return sum(self.points.values())

    @property
    def max_score(self) -> float:
        return self.total + sum(self.written.values())

    @property
    def target(self) -> str:
        """The last answer cell: nothing else builds on it."""
        return self.answers[-1]

    @property
    def first(self) -> str:
        return self.answers[0]

    def tests_of(self, answer: str) -> str:
        return f"{answer}-tests"

    @cached_property
    def functions(self) -> list[str]:
        """The names of the functions the answer cells define (what the tests call)."""
        names = []
        for source in self.solutions.values():
            names += [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
        return names

    def correct_implementations(self) -> list:
        """The exercise's corpus of correct answers (``tests/corpus/<ex>/correct_*.py``)."""
        return [impl for impl in corpus(self.assignment.split("-")[0]) if impl.correct]

    def answered(self, base: str = "solved", **cells: str) -> nbformat.NotebookNode:
        """A copy of the solved (or ``"student"``) notebook with some answer cells replaced."""
        nb = copy.deepcopy(self.solved if base == "solved" else self.student)
        for cell in nb.cells:
            if gid(cell) in cells:
                cell.source = cells[gid(cell)]
        return nb
