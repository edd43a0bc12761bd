"""Regenerate the student versions and the worked solutions of the exercises from ``source/``.

``python -m rnncourse.grading.release [ASSIGNMENT ...]`` (``make release``) rebuilds, for each
assignment (all of ``source/*/`` by default):

* ``exercises/<id>/``: the student version, made by ``nbgrader generate_assignment`` in a
  temporary course directory (so no ``gradebook.db`` is left in the repository): solutions
  replaced by ``raise NotImplementedError()``, hidden tests removed, cells locked;
* ``solutions/<id>/``: the source with its solutions and visible tests, hidden tests removed
  (by nbgrader's own ``ClearHiddenTests``), for self-learners to read after trying.

Both are written in the course's canonical notebook form (no outputs, normalised JSON), so that
``tests/test_notebooks.py`` finds them clean, and the release refuses a source notebook whose
nbgrader metadata the validator rejects. ``stale()`` tells a test whether the committed copies
still match the source.
"""

from __future__ import annotations

import copy
import filecmp
import sys
import tempfile
from pathlib import Path

import nbformat
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests

from rnncourse import notebooks
from rnncourse.grading import validate
from rnncourse.grading.course import REPO, Course


def assignments(root: Path = REPO) -> list[str]:
    """The assignment ids: folders of ``source/`` that hold ``<id>.ipynb``."""
    return sorted(
        p.parent.name for p in (root / "source").glob("*/*.ipynb") if p.stem == p.parent.name
    )


def tidy_student_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Drop the blank lines that removing a hidden region leaves at the end of a test cell.

    The checksum nbgrader stores in the cell is recomputed, so that Validate still recognises
    the cell as unchanged.
    """
    for cell in nb.cells:
        if (
            cell.cell_type == "code"
            and utils.is_grade(cell)
            and cell.source != cell.source.rstrip()
        ):
            cell.source = cell.source.rstrip()
            if "checksum" in cell.metadata.get("nbgrader", {}):
                cell.metadata.nbgrader["checksum"] = utils.compute_checksum(cell)
    return nb


def solution_version(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The source notebook as a finished assignment: solutions and visible tests, nothing hidden.

    nbgrader's ``ClearHiddenTests`` removes the hidden tests; the solution marker lines go too,
    so the answers read as a student would have written them.
    """
    nb = copy.deepcopy(nb)
    nb, _ = ClearHiddenTests().preprocess(nb, {})
    for cell in nb.cells:
        if utils.is_solution(cell):
            lines = cell.source.splitlines()
            cell.source = "\n".join(line for line in lines if not _is_solution_marker(line))
        if cell.cell_type == "code" and utils.is_grade(cell):
            cell.source = cell.source.rstrip()
    return nb


def _is_solution_marker(line: str) -> bool:
    return any(marker in line for marker in validate.SOLUTION)


def build(assignment: str, out: Path = REPO, *, root: Path = REPO) -> list[Path]:
    """Write ``exercises/<assignment>/`` and ``solutions/<assignment>/`` under ``out``.

    Returns the files that changed. Other files in those two folders are removed: they are
    generated folders, never edited by hand.
    """
    source_dir = root / "source" / assignment
    problems = validate.problems(source_dir / f"{assignment}.ipynb")
    if problems:
        raise ValueError(
            f"{assignment}: the source notebook's metadata is broken:\n" + "\n".join(problems)
        )
    with tempfile.TemporaryDirectory(prefix=f"release-{assignment}-") as tmp:
        course = Course(Path(tmp), repo=root)
        course.add_source(assignment, source_dir)
        released = course.generate_assignment(assignment)
        student = _collect(released, tidy_student_version)
    solution = _collect(source_dir, solution_version)
    changed = _sync(student, out / "exercises" / assignment)
    changed += _sync(solution, out / "solutions" / assignment)
    return changed


def _collect(folder: Path, transform) -> dict[str, object]:
    """Relative path -> notebook (transformed) or bytes, for every file in ``folder``."""
    files = {}
    for path in sorted(folder.rglob("*")):
        if path.is_dir() or ".ipynb_checkpoints" in path.parts:
            continue
        rel = path.relative_to(folder).as_posix()
        if path.suffix == ".ipynb":
            files[rel] = notebooks.strip(transform(notebooks.read(path)))
        else:
            files[rel] = path.read_bytes()
    return files


def _sync(files: dict[str, object], target: Path) -> list[Path]:
    changed = []
    target.mkdir(parents=True, exist_ok=True)
    for path in sorted(target.rglob("*"), reverse=True):
        rel = path.relative_to(target).as_posix()
        if path.is_file() and rel not in files:
            path.unlink()
            changed.append(path)
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for rel, content in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            if not path.exists() or path.read_bytes() != content:
                path.write_bytes(content)
                changed.append(path)
        elif notebooks.write(content, path):
            changed.append(path)
    return changed


def stale(assignment: str, root: Path = REPO) -> list[str]:
    """Files of ``exercises/<id>/`` and ``solutions/<id>/`` that differ from a fresh release."""
    with tempfile.TemporaryDirectory(prefix="release-check-") as tmp:
        fresh = Path(tmp)
        build(assignment, fresh, root=root)
        out = []
        for kind in ("exercises", "solutions"):
            new, old = fresh / kind / assignment, root / kind / assignment
            names = {p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()}
            if old.exists():
                names |= {p.relative_to(old).as_posix() for p in old.rglob("*") if p.is_file()}
            for name in sorted(names):
                a, b = new / name, old / name
                if not (a.exists() and b.exists() and filecmp.cmp(a, b, shallow=False)):
                    out.append(f"{kind}/{assignment}/{name}")
        return out


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if any(arg.startswith("-") for arg in argv):
        print("usage: python -m rnncourse.grading.release [ASSIGNMENT ...]", file=sys.stderr)
        return 2
    known = assignments()
    for assignment in argv or known:
        if assignment not in known:
            print(
                f"no source/{assignment}/{assignment}.ipynb (known: {', '.join(known)})",
                file=sys.stderr,
            )
            return 2
        changed = build(assignment)
        for path in changed:
            print(f"{'updated' if path.exists() else 'removed'} {path.relative_to(REPO)}")
        print(
            f"{assignment}: exercises/ and solutions/ are up to date ({len(changed)} file(s) changed)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
