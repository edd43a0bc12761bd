"""A class's worth of exercise-1 submissions, one per way a notebook can surprise the batch grader.

Every case is built from the current exercise (the released student version, answered with the
source's solutions, see ``tests/nbgrader_course.py``), so the corpus follows the exercise when it
changes. Each case states the status and score it deserves and, where it matters, words the
instructor must find in its note. Exercise 1 has 12 autograded points (ewma 2, rnn_step 2,
rnn_forward 3, deep_rnn_forward 3, count_parameters 2) and a written answer worth 3 that the
instructor grades, so a fully correct submission scores 12 of 15 until then.

:func:`write` lays the corpus out as an LMS or ``nbgrader collect`` would: mostly
``<student>.ipynb`` files, some students in nbgrader's ``<student>/ex1-forward/ex1-forward.ipynb``
layout, an empty student folder, a stray non-notebook file, and two names that sanitise to the
same id.
"""

from __future__ import annotations

import copy
import json
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader_course import corpus, solved, with_answers

from rnncourse.grading.validate import is_test

ASSIGNMENT = "ex1-forward"
REPO = Path(__file__).resolve().parents[3]
MEMORY_GB = 2.0  # the test's memory cap: a kernel needs ~1 GB of address space to start
TIMEOUT = 5  # seconds per cell; the exercise's test cells take well under 0.1 s


@dataclass(frozen=True)
class Case:
    student: str  # the id expected in grades.csv
    status: str
    score: float
    make: Callable[[dict], bytes | None]  # notebooks -> file content (None: an empty folder)
    note: str = ""  # words the note must contain
    path: str = ""  # where the file goes (default: <student>.ipynb)
    cells: dict | None = None  # expected per-cell scores, where the total is not enough


def notebooks() -> dict:
    """The released student version and the same notebook answered correctly (``filled``)."""
    student = nbformat.read(REPO / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    source = nbformat.read(REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    implementations = {impl.name: impl for impl in corpus("ex1")}
    return {
        "student": student,
        "filled": solved(student, source),
        "solution": {gid: answer for gid, answer in _answers(source).items()},
        "impl": implementations,
    }


def _answers(source) -> dict[str, str]:
    from nbgrader_course import answer_code

    from rnncourse.grading.validate import is_answer

    return {c.metadata.nbgrader["grade_id"]: answer_code(c) for c in source.cells if is_answer(c)}


def dump(nb) -> bytes:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicated cells have duplicate ids: that is the point
        return nbformat.writes(nb).encode("utf-8")


def answered(nbs, **cells: str) -> bytes:
    """The correct submission with some answer cells replaced (keyword: grade_id with _ for -)."""
    return dump(with_answers(nbs["filled"], {k.replace("_", "-"): v for k, v in cells.items()}))


def prepend(nbs, gid: str, code: str) -> str:
    """The solution of answer cell ``gid`` with ``code`` run before it."""
    return code.rstrip() + "\n\n" + nbs["solution"][gid]


def append(nbs, gid: str, code: str) -> str:
    return nbs["solution"][gid] + "\n\n" + code.rstrip() + "\n"


def edit_cells(nbs, change: Callable[[list], list]) -> bytes:
    nb = copy.deepcopy(nbs["filled"])
    nb.cells = change(nb.cells)
    return dump(nb)


def _gid(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _without(cells, *gids):
    return [c for c in cells if _gid(c) not in gids]


def _retyped(cells):
    out = []
    for cell in cells:
        if _gid(cell) == "ewma-tests":
            cell = nbformat.v4.new_markdown_cell(cell.source, metadata=cell.metadata)
        elif _gid(cell) == "rnn-step":
            cell = nbformat.v4.new_raw_cell(cell.source, metadata=cell.metadata)
        out.append(cell)
    return out


def _duplicated(cells):
    out = []
    for cell in cells:
        out.append(cell)
        if _gid(cell) in ("ewma", "ewma-tests"):
            out.append(copy.deepcopy(cell))
    return out


def _gutted_tests(nbs) -> bytes:
    """A wrong ewma, and its test cell emptied so that it cannot fail."""
    nb = with_answers(nbs["filled"], nbs["impl"]["wrong_ewma_ignores_s0"].cells)
    for cell in nb.cells:
        if is_test(cell) and _gid(cell) == "ewma-tests":
            cell.source = "# Checks that ewma is right.\npass"
    return dump(nb)


# np.empty reserves address space without touching it: the cap (on address space) stops this bomb
# as it stops a real one, but without a cap it would cost nothing, so the test is safe either way.
MEMORY_BOMB = """\
blocks = []
for _ in range(100):  # 8 GB
    blocks.append(np.empty(10_000_000))
"""
HUGE_OUTPUT = """\
print("x" * 20_000_000)
for i in range(100_000):
    print(i)
"""
NUMPY_PATCH = """\
def ewma(x, alpha, s0=0.0):
    return np.zeros(len(x))


np.all = lambda *args, **kwargs: True
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
"""
SILENCED = "get_ipython().showtraceback = lambda *args, **kwargs: None"

CASES = [
    Case("correct", "graded", 12, lambda n: dump(n["filled"]), note="to grade by hand"),
    Case(
        "untouched",
        "graded",
        0,
        lambda n: dump(n["student"]),
        path=f"untouched/{ASSIGNMENT}/{ASSIGNMENT}.ipynb",
        cells={"ewma-tests": 0, "count-parameters-tests": 0, "neuron-vs-ewma": 0},
    ),
    Case(
        "wrong",
        "graded",
        10,
        lambda n: answered(n, **n["impl"]["wrong_count_no_biases"].cells),
        cells={"count-parameters-tests": 0, "deep-rnn-forward-tests": 3},
    ),
    Case(
        "raising",
        "graded",
        10,
        lambda n: answered(n, ewma="def ewma(x, alpha, s0=0.0):\n    raise ValueError('todo')"),
        cells={"ewma-tests": 0},
    ),
    Case(
        "infinite-loop",
        "timeout",
        10,
        lambda n: answered(n, ewma=prepend(n, "ewma", "while True:\n    pass")),
        note="cell 5 (ewma) ran past",
    ),
    Case(
        "os-exit",
        "crashed",
        7,
        lambda n: answered(n, deep_rnn_forward="import os\n\nos._exit(3)"),
        note="exited with status 3",
        cells={"rnn-forward-tests": 3, "deep-rnn-forward-tests": 0, "count-parameters-tests": 0},
    ),
    Case(
        "memory-bomb",
        "crashed",
        10,
        lambda n: answered(n, count_parameters=prepend(n, "count-parameters", MEMORY_BOMB)),
        note="ran out of memory",
    ),
    Case(
        "sys-exit",
        "graded",
        10,
        lambda n: answered(n, ewma=prepend(n, "ewma", "import sys\n\nsys.exit(1)")),
    ),
    Case(
        "asks-for-input",
        "graded",
        10,
        lambda n: answered(n, ewma=prepend(n, "ewma", 'name = input("Your name? ")')),
    ),
    Case(
        "huge-output",
        "graded",
        12,
        lambda n: answered(n, rnn_step=append(n, "rnn-step", HUGE_OUTPUT)),
    ),
    Case(
        "deleted-cells",
        "graded",
        10,  # ewma's tests come back and pass; count_parameters is gone, so its tests fail
        lambda n: edit_cells(
            n, lambda c: _without(c, "ewma-tests", "count-parameters", "count-parameters-tests")
        ),
        note="deleted cell ewma-tests restored; deleted cell count-parameters-tests restored",
        cells={"ewma-tests": 2, "count-parameters-tests": 0},
    ),
    Case("edited-tests", "graded", 10, _gutted_tests, note="edited locked cell ewma-tests"),
    Case("changed-types", "graded", 12, lambda n: edit_cells(n, _retyped), note="cell type"),
    Case(
        "duplicated-cells",
        "graded",
        12,
        lambda n: edit_cells(n, _duplicated),
        note="cell ewma-tests duplicated",
    ),
    Case("invalid-json", "invalid", 0, lambda n: dump(n["filled"])[:500], note="not valid JSON"),
    Case("empty", "invalid", 0, lambda n: b"", note="empty"),
    Case(
        "python-script",
        "invalid",
        0,
        lambda n: n["solution"]["ewma"].encode(),
        note="not valid JSON",
    ),
    Case(
        "json-not-notebook",
        "invalid",
        0,
        lambda n: json.dumps({"name": "my homework"}).encode(),
        note="not a notebook",
    ),
    Case(
        "report",
        "invalid",
        0,
        lambda n: b"my answers are in the notebook\n",
        path="report.txt",
        note="not a notebook",
    ),
    Case(
        "nobody",
        "missing",
        0,
        lambda n: None,
        path=f"nobody/{ASSIGNMENT}/",
        note=f"no {ASSIGNMENT}.ipynb",
    ),
    Case(
        "numpy-patched",
        "flagged",
        12,  # the patch fools every test; the score stands, the flag tells the instructor
        lambda n: answered(n, ewma=NUMPY_PATCH),
        note="numpy.allclose was replaced",
    ),
    Case(
        "silenced-errors",
        "flagged",
        10,  # nbgrader still sees the failed test cell: an error without a traceback
        lambda n: answered(
            n,
            count_parameters=SILENCED
            + "\n\n"
            + n["impl"]["wrong_count_no_biases"].cells["count-parameters"],
        ),
        note="showtraceback",
    ),
    Case(
        "fake-equality",
        "flagged",
        10,  # the course's checks reject the impostor object
        lambda n: answered(n, **n["impl"]["wrong_ewma_fools_equality"].cells),
        note="defines __eq__",
    ),
    # "Dana Lee.ipynb" and "Dana-Lee.ipynb" both become Dana-Lee: the second is renamed, not merged
    Case("Dana-Lee", "invalid", 0, lambda n: b"{", path="Dana Lee.ipynb", note="not valid JSON"),
    Case(
        "Dana-Lee-2",
        "invalid",
        0,
        lambda n: b"",
        path="Dana-Lee.ipynb",
        note="already used by Dana Lee.ipynb",
    ),
]


def write(folder: Path, cases=CASES) -> Path:
    """Write the corpus into ``folder`` (created); return it."""
    nbs = notebooks()
    folder.mkdir(parents=True, exist_ok=True)
    for case in cases:
        target = folder / (case.path or f"{case.student}.ipynb")
        content = case.make(nbs)
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
