"""Find every student's notebook in a folder or zip of submissions, and lose no one.

Instructors get submissions in two shapes, and both may come zipped (files in sub-folders of the
zip are fine):

* one notebook per student, named after the student: ``alice.ipynb``, ``bob-smith.ipynb``;
* nbgrader's layout: ``alice/ex1-forward/ex1-forward.ipynb`` (what ``nbgrader collect`` leaves
  in ``submitted/``), or ``alice/ex1-forward.ipynb`` (a folder per student, as some LMSs export).

:func:`collect` turns either into a list of :class:`Entry`, one per student, each with the file to
grade or the reason there is none. The rules, so that no student is lost or merged with another:

* folders and files whose name starts with a dot, ``__MACOSX/`` and ``.ipynb_checkpoints/``
  are ignored; a zip that holds everything in one wrapping folder is read from inside it;
* a notebook whose folder is named after the assignment belongs to the folder above it; a notebook
  named ``<assignment>.ipynb`` belongs to its folder; another assignment's notebook in nbgrader's
  layout (``alice/ex2-bptt/ex2-bptt.ipynb``) is skipped; any other notebook belongs to its file
  name (``alice.ipynb``, also inside grouping folders such as ``group-b/alice.ipynb``);
* a student folder without a notebook for the assignment is ``missing``; a top-level file that is
  not a notebook (``carol.pdf``) is ``invalid``;
* a student id keeps letters, digits, ``_``, ``.`` and ``-`` (anything else becomes ``-``), which
  nbgrader accepts as a folder name and in a URL; two inputs that end up with the same id are both
  kept, the second as ``<id>-2`` with a note saying so.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
import warnings
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import nbformat

#: The most a single notebook may weigh (nbgrader's own default limit for copied files).
MAX_NOTEBOOK_BYTES = 100 * 1024 * 1024
IGNORED_PARTS = {"__MACOSX", ".ipynb_checkpoints", "__pycache__"}
IGNORED_NAMES = {"Thumbs.db", "desktop.ini"}


@dataclass
class Entry:
    """One student in the input.

    ``student`` is the id used in the gradebook and the output; ``origin`` the file or folder it
    came from (relative to the input); ``path`` the notebook to grade, or ``None`` when
    ``status`` already says why there is nothing to grade (``missing`` or ``invalid``).
    """

    student: str
    origin: str
    path: Path | None = None
    status: str | None = None
    notes: list[str] | None = None

    def note(self, text: str) -> None:
        self.notes = [*(self.notes or []), text]


class SubmissionsError(ValueError):
    """The submissions argument is not a folder or a zip file (a mistake of the grader's user)."""


# --------------------------------------------------------------------------- student ids


def student_id(name: str) -> str:
    """A student id nbgrader accepts, made from a file or folder name.

    Accents are dropped (``José`` -> ``Jose``), every run of other characters becomes one ``-``,
    and the id never starts with a dot or a dash (it is a folder name in the course directory).
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9_.-]+", "-", text)
    text = re.sub(r"-{2,}", "-", text).strip("-._")
    return text or "student"


# --------------------------------------------------------------------------- reading the input


def unpack(archive: Path, into: Path) -> Path:
    """Extract ``archive`` into ``into``, skipping names that would escape it; return ``into``."""
    into = Path(into)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SubmissionsError(f"{archive} is not a readable zip file: {exc}") from None
    with zf:
        for info in zf.infolist():
            name = PurePosixPath(info.filename.replace("\\", "/"))
            if name.is_absolute() or ".." in name.parts or not name.parts:
                continue
            target = into.joinpath(*name.parts)
            if info.is_dir():  # kept: an empty student folder is a missing submission
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            if info.file_size > MAX_NOTEBOOK_BYTES:  # too large to be a notebook: invalid
                with open(target, "wb") as fh:
                    fh.truncate(info.file_size)  # a sparse file: its size says why
                continue
            with zf.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
    return into


def _ignored(parts: tuple[str, ...]) -> bool:
    return any(p.startswith(".") or p in IGNORED_PARTS for p in parts) or parts[-1] in IGNORED_NAMES


def _children(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not _ignored((p.name,)))


def _is_student_folder(folder: Path, assignment: str) -> bool:
    return (folder / assignment).is_dir() or (folder / f"{assignment}.ipynb").is_file()


def content_root(folder: Path, assignment: str) -> Path:
    """``folder``, or the folder inside it when it only wraps the submissions (``submissions/``)."""
    while True:
        children = _children(folder)
        if (
            len(children) == 1
            and children[0].is_dir()
            and children[0].name != assignment
            and not _is_student_folder(children[0], assignment)
        ):
            folder = children[0]
        else:
            return folder


def collect(root: Path, assignment: str, exclude: Path | None = None) -> list[Entry]:
    """Every student found under the folder ``root``, sorted by student id (see the module doc).

    ``exclude`` is a folder inside ``root`` to leave out (the grader's own output folder).
    """
    root = content_root(Path(root), assignment)
    wanted = f"{assignment}.ipynb"
    groups: dict[tuple[str, str], list[Path]] = defaultdict(list)  # (name, origin) -> notebooks
    loose: list[Entry] = []
    seen_dirs: set[str] = set()

    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if _ignored(rel.parts) or (exclude is not None and exclude in (path, *path.parents)):
            continue
        if path.is_dir():
            continue
        parts = rel.parts
        if len(parts) >= 3 and parts[-2] == assignment:  # <student>/<assignment>/<file>
            if path.suffix == ".ipynb":
                groups[(parts[-3], "/".join(parts[:-1]))].append(path)
                seen_dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
            continue
        if path.suffix == ".ipynb":
            if len(parts) >= 3 and path.stem == parts[-2]:  # <student>/<other>/<other>.ipynb
                continue
            if path.name == wanted and len(parts) >= 2:  # <student>/<assignment>.ipynb
                groups[(parts[-2], "/".join(parts[:-1]))].append(path)
            else:  # <student>.ipynb, at any depth
                groups[(path.stem, rel.as_posix())].append(path)
            seen_dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
            continue
        if len(parts) == 1:  # a top-level file that is not a notebook
            entry = Entry(path.stem, rel.as_posix(), status="invalid")
            entry.note(f"{path.name} is not a notebook (.ipynb)")
            loose.append(entry)

    entries = [_choose(name, origin, paths, wanted) for (name, origin), paths in groups.items()]
    # A student folder that holds no notebook at all: the student submitted nothing gradable.
    for folder in _children(root):
        rel = folder.name
        if exclude is not None and (
            exclude in (folder, *folder.parents) or folder in exclude.parents
        ):
            continue
        if folder.is_dir() and rel not in seen_dirs and rel != assignment:
            others = sorted(p.name for p in folder.rglob("*") if p.is_file())
            entry = Entry(folder.name, f"{rel}/", status="missing")
            entry.note(
                f"no {wanted} in {rel}/" + (f" (found: {', '.join(others[:5])})" if others else "")
            )
            entries.append(entry)
    entries += loose
    return _assign_ids(sorted(entries, key=lambda e: (e.origin, e.student)))


def _choose(name: str, origin: str, paths: list[Path], wanted: str) -> Entry:
    """One entry for a student whose folder held ``paths`` (one notebook, usually)."""
    exact = [p for p in paths if p.name == wanted]
    if len(paths) == 1 or exact:
        path = exact[0] if exact else paths[0]
        entry = Entry(name, origin if origin.endswith(".ipynb") else f"{origin}/{path.name}", path)
        if path.name != wanted and not origin.endswith(".ipynb"):
            entry.note(f"graded {path.name} (expected {wanted})")
        if len(paths) > 1:
            ignored = sorted(p.name for p in paths if p != path)
            entry.note(f"ignored other notebooks: {', '.join(ignored)}")
        return entry
    entry = Entry(name, f"{origin}/", status="missing")
    entry.note(f"no {wanted} among {', '.join(sorted(p.name for p in paths))}")
    return entry


def _assign_ids(entries: list[Entry]) -> list[Entry]:
    """Give every entry a distinct nbgrader student id; never merge two inputs."""
    taken = {student_id(e.student) for e in entries}
    used: dict[str, Entry] = {}
    for entry in entries:
        base = student_id(entry.student)
        sid = base
        if sid in used:
            n = 2
            while f"{base}-{n}" in used or f"{base}-{n}" in taken:
                n += 1
            sid = f"{base}-{n}"
            entry.note(f"id {base!r} was already used by {used[base].origin}")
        entry.student = sid
        used[sid] = entry
    return sorted(entries, key=lambda e: e.student)


# --------------------------------------------------------------------------- checking files


def read_problem(path: Path) -> str | None:
    """Why the file at ``path`` cannot be graded as a notebook (``None``: it can)."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    if size == 0:
        return "the file is empty"
    if size > MAX_NOTEBOOK_BYTES:
        return f"the file is larger than {MAX_NOTEBOOK_BYTES // 2**20} MB"
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return "not a notebook: the file is not text (UTF-8)"
    if not text.strip():
        return "the file is empty"
    try:
        data = json.loads(text)
    except ValueError:
        return "not a notebook: the file is not valid JSON"
    if not isinstance(data, dict) or "nbformat" not in data:
        return "not a notebook: JSON, but without the fields of a Jupyter notebook"
    try:
        with warnings.catch_warnings():
            # duplicate cell ids and the like: nbformat repairs them
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat raises many kinds for JSON that is not a notebook
        return f"not a notebook: {type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
    cells = nb.get("cells")
    if not isinstance(cells, list):
        return "not a notebook: it has no list of cells"
    for index, cell in enumerate(cells):
        if not isinstance(cell, dict) or cell.get("cell_type") not in ("code", "markdown", "raw"):
            return f"not a notebook: cell {index} is not a code, markdown or raw cell"
        if not isinstance(cell.get("source"), str):
            return f"not a notebook: cell {index} has no source text"
    return None
