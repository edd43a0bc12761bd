"""A class's worth of submissions, one per way a notebook can surprise the batch grader.

Each case is built for either exercise from its own notebooks (:mod:`corpus.grading.exercise`)
and states the status and autograded score it deserves, and words its note must contain. A fully
correct submission scores every autograded point; the written answer stays for the instructor.

:func:`write` lays cases out as an LMS or ``nbgrader collect`` would: mostly ``<student>.ipynb``
files, some in nbgrader's ``<student>/<assignment>/<assignment>.ipynb`` layout, an empty student
folder, a stray file that is not a notebook, and two names that sanitise to the same id.
"""

from __future__ import annotations

import copy
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
from corpus.grading.exercise import Exercise, dump, gid

MEMORY_GB = 2.0  # the tests' memory cap: a kernel needs ~1 GB of address space to start


@dataclass(frozen=True)
class Case:
    student: str  #: the id expected in grades.csv
    status: str
    score: Callable[[Exercise], float]  #: the autograded score it deserves
    make: Callable[[Exercise], bytes | None]  #: file content (None: an empty folder)
    note: str = ""  #: words the note must contain
    path: str = ""  #: where the file goes (default: <student>.ipynb)
    zero: Callable[[Exercise], list[str]] = lambda ex: []  #: test cells that must score 0


def full(ex: Exercise) -> float:
    return ex.total


def nothing(ex: Exercise) -> float:
    return 0.0


def all_but_target(ex: Exercise) -> float:
    return ex.total - ex.points[ex.tests_of(ex.target)]


def target_tests(ex: Exercise) -> list[str]:
    return [ex.tests_of(ex.target)]


def prepend(ex: Exercise, answer: str, code: str) -> str:
    return code.rstrip() + "\n\n" + ex.solutions[answer]


def at_target(code: str) -> Callable[[Exercise], bytes]:
    """The solved notebook with ``code`` run first in the target answer cell."""
    return lambda ex: dump(ex.answered(**{ex.target: prepend(ex, ex.target, code)}))


def edit_cells(ex: Exercise, change: Callable[[Exercise, list], list]) -> bytes:
    nb = copy.deepcopy(ex.solved)
    nb.cells = change(ex, nb.cells)
    return dump(nb)


def _deleted(ex, cells):
    gone = {ex.tests_of(ex.first), ex.target, ex.tests_of(ex.target)}
    return [c for c in cells if gid(c) not in gone]


def _retyped(ex, cells):
    out = []
    for cell in cells:
        if gid(cell) == ex.tests_of(ex.first):
            cell = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)
        elif gid(cell) == ex.target:
            cell = nbformat.v4.new_raw_cell(cell.source, metadata=cell.metadata)
        out.append(cell)
    return out


def _duplicated(ex, cells):
    out = []
    for cell in cells:
        out.append(cell)
        if gid(cell) in (ex.first, ex.tests_of(ex.first)):
            out.append(copy.deepcopy(cell))
    return out


def _metadata(ex: Exercise, change: Callable) -> bytes:
    nb = copy.deepcopy(ex.solved)
    change(ex, nb)
    return dump(nb)


def _points(ex, nb):
    _cell(nb, ex.tests_of(ex.target)).metadata.nbgrader["points"] = 100


def _flags(ex, nb):
    meta = _cell(nb, ex.tests_of(ex.first)).metadata.nbgrader
    meta["grade"], meta["solution"], meta["locked"] = False, True, False


def _ids(ex, nb):
    _cell(nb, ex.first).metadata.nbgrader["grade_id"] = "my-own-answer"


def _kernel(ex, nb):
    nb.metadata["kernelspec"] = {"name": "bash", "display_name": "Bash", "language": "bash"}


def _cell(nb, grade_id: str):
    return next(c for c in nb.cells if gid(c) == grade_id)


def _gutted(ex) -> bytes:
    """The target answer raises, and its test cell is emptied so that it cannot fail."""
    nb = ex.answered(**{ex.target: _raises(ex, ex.target)})
    for cell in nb.cells:
        if gid(cell) == ex.tests_of(ex.target):
            cell.source = "# Checks that everything is right.\npass"
    return dump(nb)


def _raises(ex: Exercise, answer: str) -> str:
    """Source of ``answer``'s functions, each raising ValueError("todo")."""
    import ast

    defs = [n for n in ast.parse(ex.solutions[answer]).body if isinstance(n, ast.FunctionDef)]
    return "\n\n".join(
        f"def {d.name}(*args, **kwargs):\n    raise ValueError('todo')\n" for d in defs
    )


# np.empty reserves address space without touching it: the cap on address space stops this bomb
# as it stops a real one, but without a cap it would cost nothing, so the test is safe either way.
MEMORY_BOMB = """\
import numpy as np
blocks = []
for _ in range(100):  # 8 GB
    blocks.append(np.empty(10_000_000))
"""
HUGE_OUTPUT = """\
print("x" * 20_000_000)
for i in range(100_000):
    print(i)
"""

CASES = [
    Case("correct", "graded", full, lambda ex: dump(ex.solved), note="to grade by hand"),
    Case(
        "untouched",
        "graded",
        nothing,
        lambda ex: dump(ex.student),
        path="untouched/{a}/{a}.ipynb",
        zero=lambda ex: list(ex.points),
    ),
    Case(
        "raising",
        "graded",
        all_but_target,
        lambda ex: dump(ex.answered(**{ex.target: _raises(ex, ex.target)})),
        zero=target_tests,
    ),
    Case(
        "infinite-loop",
        "timeout",
        all_but_target,
        at_target("while True:\n    pass"),
        note="ran past",
    ),
    Case(
        "os-exit",
        "crashed",
        all_but_target,
        lambda ex: dump(ex.answered(**{ex.target: "import os\n\nos._exit(3)"})),
        note="exited with status 3",
        zero=target_tests,
    ),
    Case(
        "memory-bomb", "crashed", all_but_target, at_target(MEMORY_BOMB), note="ran out of memory"
    ),
    Case("sys-exit", "graded", all_but_target, at_target("import sys\n\nsys.exit(1)")),
    Case("asks-for-input", "graded", all_but_target, at_target('name = input("Your name? ")')),
    Case(
        "huge-output",
        "graded",
        full,
        lambda ex: dump(ex.answered(**{ex.first: ex.solutions[ex.first] + "\n\n" + HUGE_OUTPUT})),
    ),
    Case(
        "deleted-cells",
        "graded",
        all_but_target,  # the first test cell comes back and passes; the target is gone
        lambda ex: edit_cells(ex, _deleted),
        note="deleted cell {first}-tests restored; deleted cell {target}-tests restored",
        zero=target_tests,
    ),
    Case(
        "edited-tests", "graded", all_but_target, _gutted, note="edited locked cell {target}-tests"
    ),
    Case("changed-types", "graded", full, lambda ex: edit_cells(ex, _retyped), note="cell type"),
    Case(
        "duplicated-cells",
        "graded",
        full,
        lambda ex: edit_cells(ex, _duplicated),
        note="cell {first}-tests duplicated",
    ),
    Case(
        "changed-points", "graded", full, lambda ex: _metadata(ex, _points), note="points of cell"
    ),
    Case(
        "changed-flags",
        "graded",
        full,
        lambda ex: _metadata(ex, _flags),
        note="grade flag of cell {first}-tests restored",
    ),
    Case("changed-ids", "graded", full, lambda ex: _metadata(ex, _ids), note="unknown cell id"),
    Case("changed-kernel", "graded", full, lambda ex: _metadata(ex, _kernel), note="kernel 'bash'"),
    Case(
        "invalid-json", "invalid", nothing, lambda ex: dump(ex.solved)[:500], note="not valid JSON"
    ),
    Case("empty", "invalid", nothing, lambda ex: b"", note="empty"),
    Case(
        "python-script",
        "invalid",
        nothing,
        lambda ex: ex.solutions[ex.first].encode(),
        note="not valid JSON",
    ),
    Case(
        "json-not-notebook",
        "invalid",
        nothing,
        lambda ex: json.dumps({"name": "my homework"}).encode(),
        note="not a notebook",
    ),
    Case(
        "report",
        "invalid",
        nothing,
        lambda ex: b"my answers are in the notebook\n",
        path="report.txt",
    ),
    Case("nobody", "missing", nothing, lambda ex: None, path="nobody/{a}/", note="no {a}.ipynb"),
    # "Dana Lee.ipynb" and "Dana-Lee.ipynb" both become Dana-Lee: the second is renamed, not merged
    Case(
        "Dana-Lee",
        "invalid",
        nothing,
        lambda ex: b"{",
        path="Dana Lee.ipynb",
        note="not valid JSON",
    ),
    Case(
        "Dana-Lee-2",
        "invalid",
        nothing,
        lambda ex: b"",
        path="Dana-Lee.ipynb",
        note="already used by Dana Lee.ipynb",
    ),
]


def words(text: str, ex: Exercise) -> str:
    """``text`` with {a}, {first} and {target} filled in for ``ex``."""
    return text.format(a=ex.assignment, first=ex.first, target=ex.target)


def write(folder: Path, ex: Exercise, cases=CASES) -> Path:
    """Write ``cases`` for ``ex`` into ``folder`` (created); return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for case in cases:
        target = folder / words(case.path or f"{case.student}.ipynb", ex)
        content = case.make(ex)
        if content is None:
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return folder


def write_zip(folder: Path, archive: Path, wrapper: str = "class-of-2025") -> Path:
    """Zip ``folder`` as an LMS would: inside a wrapping folder, with macOS and Jupyter debris."""
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            name = f"{wrapper}/{path.relative_to(folder).as_posix()}"
            if path.is_dir():
                zf.writestr(name + "/", b"")
            else:
                zf.write(path, name)
                zf.writestr(f"__MACOSX/{wrapper}/._{path.name}", b"\x00\x05\x16\x07")
        zf.writestr(f"{wrapper}/.ipynb_checkpoints/correct-checkpoint.ipynb", b"{}")
        zf.writestr(f"{wrapper}/.DS_Store", b"\x00\x00\x00\x01")
    return archive
