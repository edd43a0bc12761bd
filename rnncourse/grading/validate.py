"""Check the nbgrader metadata of the exercises' source notebooks, as code review would.

``python -m rnncourse.grading.validate [NOTEBOOK ...]`` (default: every ``source/*/*.ipynb``)
prints what is wrong and exits with status 1 if anything is. The rules:

* every nbgrader cell passes nbgrader's own schema check, at schema version 3;
* ``grade_id``s are unique and readable: lower-case words joined by hyphens (``rnn-step``);
* an answer cell (code, ``solution``) holds a ``### BEGIN SOLUTION`` / ``### END SOLUTION``
  region, and the next code cell is its test cell, named ``<answer id>-tests``;
* a test cell (code, ``grade``) is locked, has points > 0, opens with a ``# Checks that …``
  comment, and has visible tests (an ``assert``) outside its hidden region;
* solution markers are paired and appear only in answer cells; hidden-test markers are paired
  and appear only in test cells;
* a written answer (markdown, ``grade`` and ``solution``) has points > 0 and is not locked.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
from nbgrader.nbgraderformat import MetadataValidator, SchemaTooNewError, SchemaTooOldError
from nbgrader.nbgraderformat import ValidationError as NbgraderValidationError

from rnncourse.grading.course import REPO

SCHEMA_VERSION = 3
READABLE_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
SOLUTION = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
FIRST_LINE = "# Checks that"


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def is_answer(cell) -> bool:
    """A code cell the student writes in (graded through the test cell after it)."""
    meta = _meta(cell)
    return cell.cell_type == "code" and meta.get("solution", False) and not meta.get("grade", False)


def is_test(cell) -> bool:
    """A code cell of autograded tests."""
    meta = _meta(cell)
    return cell.cell_type == "code" and meta.get("grade", False) and not meta.get("solution", False)


def is_written(cell) -> bool:
    """A manually graded answer (markdown, graded by the instructor)."""
    meta = _meta(cell)
    return meta.get("grade", False) and meta.get("solution", False)


def marker_problems(source: str, markers: tuple[str, str]) -> list[str]:
    """Whether the ``markers`` regions in ``source`` open and close in pairs, without nesting."""
    begin, end = markers
    depth, problems = 0, []
    for line in source.splitlines():
        if begin in line:
            if depth:
                problems.append(f"a nested {begin!r}")
            depth += 1
        elif end in line:
            if not depth:
                problems.append(f"{end!r} without {begin!r}")
            depth = max(depth - 1, 0)
    if depth:
        problems.append(f"{begin!r} without {end!r}")
    return problems


def has_region(source: str, markers: tuple[str, str]) -> bool:
    return any(markers[0] in line for line in source.splitlines())


def tagged_lines(source: str):
    """Each line of ``source`` but the markers, with whether it lies in a hidden-test region."""
    hidden = False
    for line in source.splitlines():
        if HIDDEN[0] in line:
            hidden = True
        elif HIDDEN[1] in line:
            hidden = False
        else:
            yield line, hidden


def visible_part(source: str) -> str:
    """``source`` without its hidden-test regions."""
    return "\n".join(line for line, hidden in tagged_lines(source) if not hidden)


def hidden_lines(nb, min_length: int = 25) -> set[str]:
    """The stripped lines of ``nb``'s hidden tests at least ``min_length`` characters long.

    A line that the notebook also shows outside its hidden tests (``h = checks.sequence(`` in a
    visible test, say) is no secret, and is left out: finding it in a student's copy or in
    feedback reveals nothing.
    """
    tagged = [(line.strip(), hidden) for c in nb.cells for line, hidden in tagged_lines(c.source)]
    shown = {line for line, hidden in tagged if not hidden}
    return {line for line, hidden in tagged if hidden and len(line) >= min_length} - shown


def problems(notebook) -> list[str]:
    """Everything wrong with the nbgrader metadata of ``notebook`` (a path or a notebook)."""
    nb = notebook if isinstance(notebook, nbformat.NotebookNode) else nbformat.read(notebook, 4)
    found: list[str] = []
    first_use: dict[str, int] = {}
    for index, cell in enumerate(nb.cells):
        gid = _meta(cell).get("grade_id")
        where = f"cell {index}" + (f" ({gid})" if gid else "")
        found += [f"{where}: {text}" for text in cell_problems(nb, index, first_use)]
    if not any(is_test(c) for c in nb.cells):
        found.append("the notebook has no autograded test cell")
    return found


def cell_problems(nb, index: int, first_use: dict[str, int]) -> list[str]:
    """What is wrong with cell ``index``; ``first_use`` records where each grade_id appeared."""
    cell = nb.cells[index]
    meta, out = _meta(cell), []
    gid = meta.get("grade_id")

    if "nbgrader" in cell.get("metadata", {}):
        if meta.get("schema_version") != SCHEMA_VERSION:
            out.append(
                f"nbgrader schema_version is {meta.get('schema_version')}, not {SCHEMA_VERSION}"
            )
        else:
            try:
                MetadataValidator().validate_cell(cell)
            except (NbgraderValidationError, SchemaTooOldError, SchemaTooNewError, KeyError) as exc:
                out.append(f"nbgrader rejects the metadata: {str(exc).splitlines()[0]}")
        if gid is not None:
            if gid in first_use:
                out.append(f"grade_id {gid!r} is also used by cell {first_use[gid]}")
            first_use.setdefault(gid, index)
            if not READABLE_ID.match(str(gid)):
                out.append(f"grade_id {gid!r} is not readable: use lower-case words joined by '-'")

    out += [f"solution markers: {text}" for text in marker_problems(cell.source, SOLUTION)]
    out += [f"hidden-test markers: {text}" for text in marker_problems(cell.source, HIDDEN)]
    if has_region(cell.source, SOLUTION) and not meta.get("solution", False):
        out.append("has a solution region but is not a solution cell")
    if has_region(cell.source, HIDDEN) and not is_test(cell):
        out.append("has hidden tests but is not an autograded test cell")

    if is_answer(cell):
        if not has_region(cell.source, SOLUTION):
            out.append("an answer cell needs a '### BEGIN SOLUTION' / '### END SOLUTION' region")
        following = next((c for c in nb.cells[index + 1 :] if c.cell_type == "code"), None)
        wanted = f"{gid}-tests"
        if (
            following is None
            or not is_test(following)
            or _meta(following).get("grade_id") != wanted
        ):
            out.append(f"the next code cell must be its test cell {wanted!r}")

    if is_test(cell):
        if not meta.get("locked", False):
            out.append("a test cell must be locked (read-only)")
        if not _positive(meta.get("points")):
            out.append("a test cell needs points > 0")
        if not cell.source.startswith(FIRST_LINE):
            out.append(f"a test cell's first line must be a comment '{FIRST_LINE} …'")
        if not re.search(r"^\s*assert\b", visible_part(cell.source), re.MULTILINE):
            out.append("a test cell needs visible tests (an assert outside the hidden region)")
        answer_id = str(gid or "").removesuffix("-tests")
        follows_answer = any(
            is_answer(c) and _meta(c).get("grade_id") == answer_id for c in nb.cells[:index]
        )
        if not str(gid or "").endswith("-tests") or not follows_answer:
            out.append("a test cell must be named '<answer id>-tests' and follow its answer cell")

    if is_written(cell):
        if not _positive(meta.get("points")):
            out.append("a written answer needs points > 0")
        if meta.get("locked", False):
            out.append("a written answer must not be locked")
    return out


def _positive(points) -> bool:
    return isinstance(points, int | float) and not isinstance(points, bool) and points > 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    paths = [Path(a) for a in argv] or sorted((REPO / "source").glob("*/*.ipynb"))
    if not paths:
        print("no source notebooks found", file=sys.stderr)
        return 1
    bad = 0
    for path in paths:
        found = problems(path)
        bad += bool(found)
        print(f"{path}: {'ok' if not found else f'{len(found)} problem(s)'}")
        for text in found:
            print(f"  - {text}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
