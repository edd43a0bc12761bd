"""What a student sees after pressing Validate: one line per part, never the test code.

nbgrader's Validate button (its JupyterLab extension) posts the notebook's path to the server
extension ``nbgrader.server_extensions.validate_assignment.handlers``, which runs
``Validator(config=...).validate(path)`` and draws a dialog from the result. nbgrader's
``Validator`` puts, for every failing test cell, the cell's whole source and its traceback in that
result, and says nothing about the parts that passed. :class:`PartsValidator` runs the notebook
the same way but reports one summary instead: every part of the exercise on its own line, with
"passed" or the message of its failing check.

The dialog itself is fixed (nbgrader 0.9.6's extension): "Success! Your notebook passes all the
tests." when the result holds no failure; otherwise "The following cell failed:", then a block
with each failure's ``source`` (as text) and one with its ``error`` (as HTML). So a notebook with
failures comes back as ONE failure whose ``source`` is a one-line verdict and whose ``error`` is
the summary.

This bends nbgrader in one place, here: :func:`install` points the handler module's global name
``Validator`` (and ``nbgrader validate``'s) at :class:`PartsValidator`, and the subclass keeps the
executed notebook by overriding ``Validator._preprocess``. Both are internals of the pinned
nbgrader 0.9.6; ``nbgrader_config.py`` calls :func:`install`, and ``tests/test_ex1_validate.py``
fails when an upgrade moves either.
"""

from __future__ import annotations

import html
import sys
import textwrap

from nbformat import NotebookNode
from nbgrader import utils
from nbgrader.validator import Validator

#: Width of the summary's lines: the dialog shows them as they are, without wrapping.
WIDTH = 92

#: The modules whose ``Validator`` name :func:`install` replaces, when they are loaded.
USERS = (
    "nbgrader.server_extensions.validate_assignment.handlers",  # the Validate button
    "nbgrader.apps.validateapp",  # nbgrader validate
)


def install() -> None:
    """Make the Validate button (and ``nbgrader validate``) report one line per part.

    Only modules already imported are changed: a JupyterLab server has loaded the handler
    before it reads ``nbgrader_config.py`` for a Validate request; other programs that read the
    config (autograde, formgrader) are left alone.
    """
    for name in USERS:
        module = sys.modules.get(name)
        if module is not None and getattr(module, "Validator", None) is Validator:
            module.Validator = PartsValidator


class PartsValidator(Validator):
    """nbgrader's Validator, whose failures come back as one line per part of the exercise."""

    def _preprocess(self, nb: NotebookNode) -> NotebookNode:
        self.executed = super()._preprocess(nb)
        return self.executed

    def validate(self, filename: str) -> dict:
        results = super().validate(filename)
        if "failed" not in results:
            return results  # success, or changed cells: nbgrader's own report
        lines = summary(self.executed)
        failing = sum(line.startswith("✗") for line in lines)  # one top line per part
        graded = sum(line.startswith(("✗", "✓")) for line in lines)
        text = "\n".join(lines)
        verdict = (
            f"{failing} of {graded} graded parts do not pass yet. "
            "Each part's line says what its test found:"
        )
        return {"failed": [{"source": verdict, "error": html.escape(text), "raw_error": text}]}


def summary(nb: NotebookNode) -> list[str]:
    """One line (or a few, for a message that lists several checks) per graded cell of ``nb``.

    ``✓ Part 2 — … (4 points): passed``; ``✗ Part 3 — …:`` followed by its test's message,
    indented and wrapped; for a written answer ``· Part 6 — …: answered; your instructor grades it``
    (or ``not answered yet``).
    """
    lines, part = [], "the notebook"
    for cell in nb.cells:
        if cell.cell_type == "markdown" and not utils.is_grade(cell):
            if cell.source.lstrip().startswith("#"):  # a heading names the part that follows
                part = cell.source.lstrip().splitlines()[0].lstrip("#").strip()
            continue
        if not utils.is_grade(cell):
            continue
        score, max_score = utils.determine_grade(cell)
        if score is None or utils.is_solution(cell):  # a written answer
            answered = score is None  # nbgrader gives 0 to an unchanged answer cell
            state = "answered; your instructor grades it" if answered else "not answered yet"
            lines += textwrap.wrap(f"· {part}: {state}", WIDTH, subsequent_indent="    ")
        elif score >= max_score:
            lines += textwrap.wrap(f"✓ {part}: passed", WIDTH, subsequent_indent="    ")
        else:
            lines += textwrap.wrap(f"✗ {part}:", WIDTH, subsequent_indent="    ")
            for line in failure(cell).splitlines():  # the dialog does not wrap: lines of ~90
                lines += textwrap.wrap(
                    line, WIDTH, initial_indent="    ", subsequent_indent="      "
                )
    return lines


def failure(cell: NotebookNode) -> str:
    """The message of a failing test cell: its exception without traceback, or its stderr."""
    for output in cell.get("outputs", []):
        if output.output_type == "error":
            name, value = output.get("ename", "Error"), output.get("evalue", "")
            return value if name == "AssertionError" and value else f"{name}: {value}"
    for output in cell.get("outputs", []):
        if output.output_type == "stream" and output.name == "stderr":
            last = output.text.strip().splitlines()[-1:] or [""]
            return f"the cell wrote to stderr (a warning?): {last[0]}"
    return "the test did not pass"
