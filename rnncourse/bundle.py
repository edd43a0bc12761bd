"""The student bundle: one zip with everything a student needs and nothing a student must not see.

``python -m rnncourse.bundle [OUT.zip]`` (or ``make student-bundle``) packs the lectures, the
student versions of the exercises, the helper package, the set-up files and the README. It leaves
out ``source/`` and ``solutions/`` (answers and hidden tests), the tests, the gradebook and anything
git ignores, and it refuses to write a bundle in which any file still carries an nbgrader solution or
hidden-test marker.
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

from .notebooks import REPO

TOP_LEVEL_FILES = (
    "README.md",
    "Makefile",
    "requirements.txt",
    "environment.yml",
    "pyproject.toml",
    "nbgrader_config.py",
)
FOLDERS = ("lectures", "exercises", "rnncourse")
SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
SKIP_NAMES = {"gradebook.db", ".DS_Store"}
LEAK = re.compile(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS)")


class LeakError(RuntimeError):
    """A file that would reach students holds a solution or hidden-test marker."""


def bundle_files(root: Path = REPO) -> list[Path]:
    """Relative paths of every file that goes into the bundle, sorted."""
    files = [Path(name) for name in TOP_LEVEL_FILES if (root / name).is_file()]
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            rel = path.relative_to(root)
            if path.is_file() and not SKIP_PARTS & set(rel.parts) and rel.name not in SKIP_NAMES:
                files.append(rel)
    return sorted(files)


def leaks(root: Path, files: list[Path]) -> list[str]:
    """Notebooks among ``files`` that contain a solution or hidden-test marker.

    Only notebooks can carry nbgrader regions; the package's grading modules name the markers on
    purpose and are not scanned.
    """
    found = []
    for rel in files:
        if rel.suffix != ".ipynb":
            continue
        text = (root / rel).read_text(encoding="utf-8", errors="replace")
        if LEAK.search(text):
            found.append(rel.as_posix())
    return found


def build(out: Path, root: Path = REPO, prefix: str = "rnn-course") -> list[str]:
    """Write the zip at ``out``; return the archive names. Raises LeakError instead of leaking."""
    files = bundle_files(root)
    bad = leaks(root, files)
    if bad:
        raise LeakError(
            "refusing to bundle: these files contain solution or hidden-test markers "
            f"(regenerate exercises with `make release`): {', '.join(bad)}"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    names = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for rel in files:
            name = f"{prefix}/{rel.as_posix()}"
            zf.write(root / rel, name)
            names.append(name)
    return names


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else REPO / "dist" / "rnn-course-student.zip"
    try:
        names = build(out)
    except LeakError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {out} ({len(names)} files)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
