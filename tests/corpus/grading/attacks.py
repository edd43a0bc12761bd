"""Submissions from a student who has read the grader's source: ``tests/corpus/attacks/*.py``.

Each file is the code of one attack, with a docstring saying what it tries and two header lines
saying where it goes and what it deserves::

    # status: graded     the status it must get (graded, timeout or crashed)
    # place: target      the attack replaces the answer of the exercise's last part (whose
                         functions it may define, in ``GRADED``), or ``after-tests``: it is a cell
                         of a correct notebook, right after the last test cell

Every other answer is correct, so the attack deserves every point but the last part's (all of
them for ``after-tests``): an attack that gains nothing scores exactly that. What an attack finds
outside its own folder it prints as ``ATTACK-FOUND <json list>``, which must stay empty.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from corpus.grading.exercise import Exercise, dump, gid

FOLDER = Path(__file__).resolve().parents[1] / "attacks"
HEADER = re.compile(r"^# (status|place): (\S+)$", re.MULTILINE)
FOUND = re.compile(r"ATTACK-FOUND (\[.*?\])")


@dataclass(frozen=True)
class Attack:
    name: str  #: the student id (file name with dashes)
    what: str  #: the docstring
    code: str
    status: str
    place: str

    def score(self, ex: Exercise) -> float:
        if self.place == "after-tests":
            return ex.total
        return ex.total - ex.points[ex.tests_of(ex.target)]

    def notebook(self, ex: Exercise) -> bytes:
        tree = ast.parse(ex.solutions[ex.target])
        names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef)]
        code = f"GRADED = {names!r}\n\n{self.code}"
        if self.place == "target":
            return dump(ex.answered(**{ex.target: code}))
        nb = ex.answered()  # the cell goes right after the last test cell
        last = max(i for i, c in enumerate(nb.cells) if gid(c) == ex.tests_of(ex.target))
        nb.cells.insert(last + 1, nbformat.v4.new_code_cell(code))
        return dump(nb)


def read(path: Path) -> Attack:
    text = path.read_text(encoding="utf-8")
    fields = dict(HEADER.findall(text))
    return Attack(
        path.stem.replace("_", "-"),
        ast.get_docstring(ast.parse(text)) or "",
        text,
        fields.get("status", "graded"),
        fields.get("place", "target"),
    )


ATTACKS = [read(p) for p in sorted(FOLDER.glob("*.py"))]


def found(outputs_text: str) -> list:
    """Everything the attacks reported finding, from the text of a notebook's outputs."""
    out = []
    for match in FOUND.finditer(outputs_text):
        out += json.loads(match.group(1))
    return out
