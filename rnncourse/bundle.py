"""The student bundle: one zip with everything a student needs and nothing a student must not see.

``python -m rnncourse.bundle [OUT.zip]`` (or ``make student-bundle``) packs the lectures, the
student versions of the exercises, the helper package, the set-up files and the course's Jupyter
settings. It leaves out ``source/`` and ``solutions/`` (answers and hidden tests), the tests, the
gradebook and anything git ignores, and it refuses to write a bundle in which any file still
carries an nbgrader solution or hidden-test marker.

The bundle has its own README (:func:`student_readme`) and its own Makefile
(:func:`student_makefile`): the course's Makefile cut down to the rules that work without tests,
sources and solutions, copied from it line for line so that the two cannot drift apart.
"""

from __future__ import annotations

import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import notebooks
from .notebooks import REPO

TOP_LEVEL_FILES = (
    "requirements.txt",
    "environment.yml",
    "pyproject.toml",
    "nbgrader_config.py",
)
FOLDERS = ("lectures", "exercises", "rnncourse", "jupyter-config")
SKIP_PARTS = {"__pycache__", ".ipynb_checkpoints", ".pytest_cache"}
SKIP_NAMES = {"gradebook.db", ".DS_Store"}
LEAK = re.compile(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS)")
#: The rules of the course's Makefile that a student's copy keeps: they need nothing but the bundle.
STUDENT_RULES = ("help", "$(PY)", "$(BASE_STAMP)", "setup", "lab", "clean")


class LeakError(RuntimeError):
    """A file that would reach students holds a solution or hidden-test marker."""


def bundle_files(root: Path = REPO) -> list[Path]:
    """Relative paths of every file copied into the bundle as it is, sorted (README and Makefile
    are written for the bundle, see :func:`build`)."""
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


# --------------------------------------------------------------------------- the student Makefile

ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\?=|:=|\+=|=)")
RULE = re.compile(r"^([^\s#.:=][^:=]*?):(?!=)")  # "target:" (not "VAR := ...", not ".PHONY:")
REFERENCE = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")  # $(NAME)


@dataclass
class _Statement:
    name: str  # the variable's or the rule's target's name
    is_rule: bool
    text: str  # the comment lines right above it, then the assignment or the rule with its recipe


def _statements(makefile: str) -> list[_Statement]:
    """The variable assignments and rules of ``makefile``, in order, with the comments above them."""
    statements, comments, current = [], [], None
    for line in makefile.splitlines():
        if current is not None and line.startswith("\t"):
            current.text += "\n" + line  # a recipe line of the rule above
            continue
        current = None
        match = ASSIGNMENT.match(line) or RULE.match(line)
        if line.startswith("#"):
            comments.append(line)
        elif match:
            text = "\n".join([*comments, line])
            current = _Statement(match.group(1).strip(), match.re is RULE, text)
            statements.append(current)
            comments = []
        else:  # a blank line, .PHONY, .DEFAULT_GOAL: comments above them belong to nothing kept
            comments = []
    return statements


def student_makefile(makefile: str) -> str:
    """The student's Makefile: the rules :data:`STUDENT_RULES` of ``makefile`` and the variables
    they use, copied as they are. Raises ValueError if ``makefile`` lacks one of those rules."""
    statements = _statements(makefile)
    rules = {s.name: s for s in statements if s.is_rule}
    missing = [name for name in STUDENT_RULES if name not in rules]
    if missing:
        raise ValueError(f"the course's Makefile has no rule for {', '.join(missing)}")
    variables = {s.name: s for s in statements if not s.is_rule}
    wanted = set(STUDENT_RULES)
    pending = [ref for name in STUDENT_RULES for ref in REFERENCE.findall(rules[name].text)]
    while pending:  # the variables the kept rules use, and those these use in turn
        name = pending.pop()
        if name in variables and name not in wanted:
            wanted.add(name)
            pending += REFERENCE.findall(variables[name].text)
    phony = " ".join(name for name in STUDENT_RULES if not name.startswith("$"))
    parts = [
        "# Recurrent Neural Networks from Scratch, student edition: `make help` lists the commands.\n"
        "# Made by `make student-bundle` from the course's Makefile, keeping what works here.",
        "\n".join(s.text for s in statements if not s.is_rule and s.name in wanted),
        f".DEFAULT_GOAL := help\n.PHONY: {phony}",
        *(rules[name].text for name in STUDENT_RULES),
    ]
    return "\n\n".join(parts) + "\n"


# --------------------------------------------------------------------------- the student README

STUDENT_README = """\
# Recurrent Neural Networks from Scratch

Nine interactive JupyterLab lectures that build recurrent neural networks in plain NumPy, from a
moving average to deep, trained, gated networks, and two graded exercises in which you build them
yourself. This folder holds everything you need: the lectures, the exercises, the small helper
package `rnncourse/` that they import, and the set-up files.

## Start

You need Python 3.11 or newer and `make`. In this folder, run

```bash
make lab
```

The first time, it creates a private Python environment in `.venv` and installs the course's
pinned packages into it (a few minutes, online); then it opens JupyterLab on lecture 1. After
that, `make lab` starts at once and works offline. `make help` lists the other commands.

**Without `make`** (any operating system, with [conda](https://conda-forge.org/download/)):

```bash
conda env create -f environment.yml
conda activate rnn-course
jupyter lab lectures/01-sequences-everywhere.ipynb
```

JupyterLab started this way also shows nbgrader's instructor tools (the Nbgrader menu) and asks
about news; you need neither. On macOS and Linux,
`JUPYTER_CONFIG_PATH=jupyter-config/student:jupyter-config/course jupyter lab` starts it the way
`make lab` does.

## How to work through the course

1. Open the lectures in order. Read, run each cell (Shift-Enter), and **move the sliders**: most
   lectures have a figure you can play with.
2. Each lecture ends with *Check your understanding*: answer before you unfold the answers.
3. After lecture 5, solve `exercises/ex1-forward`; after lecture 7, `exercises/ex2-bptt`. Run the
   test cell under each answer, then press **Validate** in the notebook's toolbar: it runs your
   notebook the way the grader will. Submit the notebook the way your instructor asks.

## Contents

{contents}
"""


def student_readme(root: Path = REPO) -> str:
    """The bundle's README: how to start from this folder, and the lectures in order."""
    return STUDENT_README.format(
        contents=notebooks.contents_markdown(notebooks.lectures(root), root)
    )


# --------------------------------------------------------------------------- the zip


def build(out: Path, root: Path = REPO, prefix: str = "rnn-course") -> list[str]:
    """Write the zip at ``out``; return the archive names. Raises LeakError instead of leaking."""
    files = bundle_files(root)
    bad = leaks(root, files)
    if bad:
        raise LeakError(
            "refusing to bundle: these files contain solution or hidden-test markers "
            f"(regenerate exercises with `make release`): {', '.join(bad)}"
        )
    written = {
        "README.md": student_readme(root),
        "Makefile": student_makefile((root / "Makefile").read_text(encoding="utf-8")),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    names = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in written.items():
            zf.writestr(f"{prefix}/{name}", text)
            names.append(f"{prefix}/{name}")
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
