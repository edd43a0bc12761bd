"""Helpers for tests that grade exercises with nbgrader: submissions built from a corpus of answers.

A corpus is a folder of small Python files, one per implementation a student might submit::

    \"\"\"rnn_step forgets the bias.\"\"\"          <- what the implementation does (docstring)

    # %% rnn-step                                 <- grade_id of the answer cell it replaces
    def rnn_step(x_t, h_prev, W, U, b):
        return np.tanh(h_prev @ W.T + x_t @ U.T)

Files named ``wrong_*.py`` must lose points in the test cell of every answer cell they replace;
files named ``correct_*.py`` must get full marks. Answer cells a file does not mention hold the
reference solution, so a wrong file is the only thing wrong in its submission.
"""

from __future__ import annotations

import ast
import copy
import html
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from rnncourse.grading import validate
from rnncourse.grading.validate import SOLUTION, is_answer, is_written

CORPUS = Path(__file__).resolve().parent / "corpus"
SECTION = re.compile(r"^# %% ([a-z0-9-]+)[ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Implementation:
    """One corpus file: ``name`` (file stem), ``what`` it does, ``cells`` (grade_id -> source)."""

    name: str
    what: str
    cells: dict[str, str]

    @property
    def correct(self) -> bool:
        return self.name.startswith("correct_")

    @property
    def student(self) -> str:
        """An nbgrader student id for this implementation."""
        return self.name.replace("_", "-")


def read_implementation(path: Path) -> Implementation:
    text = path.read_text(encoding="utf-8")
    what = ast.get_docstring(ast.parse(text)) or ""
    parts = SECTION.split(text)
    cells = {gid: body.strip() + "\n" for gid, body in zip(parts[1::2], parts[2::2], strict=True)}
    if not cells:
        raise ValueError(f"{path.name}: no '# %% <grade_id>' section")
    return Implementation(path.stem, what.strip(), cells)


def corpus(assignment_folder: str) -> list[Implementation]:
    """Every implementation in ``tests/corpus/<assignment_folder>/``, sorted by name."""
    paths = sorted((CORPUS / assignment_folder).glob("*.py"))
    return [read_implementation(p) for p in paths if p.name.startswith(("wrong_", "correct_"))]


def answer_code(source_cell) -> str:
    """What a student would write in an answer cell: the solution without its marker lines."""
    lines = [
        line
        for line in source_cell.source.splitlines()
        if SOLUTION[0] not in line and SOLUTION[1] not in line
    ]
    return "\n".join(lines)


def solved(student_nb, source_nb) -> nbformat.NotebookNode:
    """The student version with every answer cell (code and written) filled from the source."""
    answers = {
        c.metadata.nbgrader["grade_id"]: c for c in source_nb.cells if is_answer(c) or is_written(c)
    }
    nb = copy.deepcopy(student_nb)
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answer_code(answers[gid])
    return nb


def with_answers(nb, cells: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose answer cells named in ``cells`` hold the given source."""
    nb = copy.deepcopy(nb)
    found = set()
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in cells and (is_answer(cell) or is_written(cell)):
            cell.source = cells[gid]
            found.add(gid)
    missing = set(cells) - found
    if missing:
        raise KeyError(f"no answer cell with grade_id {sorted(missing)}")
    return nb


def page_text(page: str) -> str:
    """What a reader of the HTML sees: tags removed, entities decoded."""
    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def hidden_lines(source_nb, submitted_text: str) -> set[str]:
    """Lines of the hidden tests that appear nowhere in what the student submitted."""
    return {line for line in validate.hidden_lines(source_nb, 8) if line not in submitted_text}


def hidden_only(source: str) -> str:
    """A test cell's imports and hidden region, without its visible tests."""
    return "\n".join(
        line
        for line, hidden in validate.tagged_lines(source)
        if hidden or line.startswith(("import ", "from "))
    )


def assert_caught_in_words(outcome: dict[str, str | None], impl: Implementation) -> None:
    """Each test cell of an answer cell ``impl`` replaces failed, with a sentence and no number.

    ``outcome`` maps a test cell's grade_id to None (passed) or 'ErrorType: message'.
    """
    for gid in impl.cells:
        text = outcome[f"{gid}-tests"]
        assert text is not None, f"{impl.name} ({impl.what}) passes the hidden tests of {gid}"
        # A sentence about the student's code (never a bare numpy error, never a number).
        assert text.startswith("AssertionError: "), text
        assert not re.search(r"\d\.\d", text), text
