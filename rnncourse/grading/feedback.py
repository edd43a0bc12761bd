"""What a student may see in feedback: their own cells, their score, and per test what went wrong.

nbgrader's feedback HTML shows every cell of the autograded notebook as it ran. Left alone, a
student would read the hidden tests, anything a test printed (their functions can print the
test's own source), the tracebacks of failing tests, and whatever HTML or JavaScript their own
objects emitted. Two preprocessors close that:

* :class:`KeepPlainOutputs` (an autograde step, and again for feedback) keeps only text and
  images in outputs: no HTML, JavaScript, SVG, Markdown or widget views, and no widget state;
* :class:`HideHiddenTests` (``nbgrader_config.py``'s feedback step) turns every graded test cell
  into its opening comment ("# Checks that …") and one verdict: "passed", or the failing check's
  message, which the tests write for students ("the state is not carried from one step to the
  next"). Student-written Markdown is shown as text, never as HTML.
"""

from __future__ import annotations

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader import utils
from traitlets import Bool

#: Output formats a feedback page may show: text and pictures, nothing that runs or renders HTML.
SAFE_MIME = ("text/plain", "image/png", "image/jpeg")
#: Characters of a failing check's message shown (a visible test may list several failures).
MAX_MESSAGE = 2000
HIDDEN_NOTE = "# (the tests themselves are not shown in feedback)"
PASSED = "All checks of this cell passed."


def error_summary(output) -> str:
    """What a student sees of an error: its type and message, never its traceback."""
    message = str(output.get("evalue", "")).strip()
    if len(message) > MAX_MESSAGE:
        message = message[:MAX_MESSAGE] + " …"
    name = str(output.get("ename", "Error"))[:100]
    return f"{name}: {message}" if message else name


def plain(outputs) -> list:
    """``outputs`` without active content: rich outputs keep only :data:`SAFE_MIME` formats."""
    kept = []
    for output in outputs:
        if output.get("output_type") in ("display_data", "execute_result"):
            data = {k: v for k, v in output.get("data", {}).items() if k in SAFE_MIME}
            if not data:
                continue
            output["data"] = data
            output["metadata"] = {
                k: v for k, v in output.get("metadata", {}).items() if k in SAFE_MIME
            }
        kept.append(output)
    return kept


class KeepPlainOutputs(Preprocessor):
    """Keep only text and images in every output, and drop the notebook's widget state."""

    enabled = Bool(True)  # nbconvert's preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            cell.outputs = plain(cell.get("outputs", []))
        return cell, resources


def opening_comment(source: str) -> str:
    """The comment lines a test cell opens with ("# Checks that …")."""
    lines = []
    for line in source.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)


def verdict(cell) -> list:
    """The one output a test cell shows in feedback: the failing check's message, or "passed"."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            text = error_summary(output)
            return [
                nbformat.v4.new_output(
                    "error", ename=output.get("ename", "Error"), evalue=text, traceback=[text]
                )
            ]
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream" and output.get("name") == "stderr":
            text = "the tests wrote to stderr (a warning), which counts as a failure"
            return [
                nbformat.v4.new_output(
                    "error", ename="Failed", evalue=text, traceback=[f"Failed: {text}"]
                )
            ]
    return [nbformat.v4.new_output("stream", name="stdout", text=PASSED + "\n")]


class HideHiddenTests(KeepPlainOutputs):
    """Feedback cells: test cells as their opening comment and verdict; no active content."""

    def preprocess_cell(self, cell, resources, index):
        cell, resources = super().preprocess_cell(cell, resources, index)
        if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
            cell.source = "\n".join(filter(None, [opening_comment(cell.source), HIDDEN_NOTE]))
            cell.outputs = verdict(cell)
        elif cell.cell_type == "markdown" and not utils.is_locked(cell):
            cell.source = cell.source.replace("&", "&amp;").replace("<", "&lt;")
        return cell, resources
