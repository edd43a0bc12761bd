"""What a student may see in feedback: their code, their score, and what went wrong in words.

nbgrader's feedback HTML shows every cell of the autograded notebook as it ran, so by default a
student would read the hidden tests, and a failing hidden test's traceback quotes its lines. The
preprocessor here runs before the HTML is written: it cuts the hidden-test regions out of test
cells and shrinks every error in a graded test cell to its one-line message, which the tests
write for students ("the state is not carried from one step to the next").
"""

from __future__ import annotations

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests

HIDDEN_NOTE = "# (hidden tests ran here; they are not shown in feedback)"


def error_summary(output) -> str:
    """The one line a student sees for an error: its type and its message, never its traceback."""
    message = str(output.get("evalue", "")).strip()
    return f"{output.get('ename', 'Error')}: {message}" if message else output.get("ename", "Error")


class HideHiddenTests(ClearHiddenTests):
    """Remove hidden tests from the source and tracebacks from the outputs of graded test cells."""

    def preprocess_cell(self, cell, resources, cell_index):
        if not utils.is_grade(cell) or cell.cell_type != "code":
            return cell, resources
        removed = self._remove_hidden_test_region(cell)
        if removed:
            cell.source = (cell.source.rstrip("\n") + "\n\n" + HIDDEN_NOTE).lstrip("\n")
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [error_summary(output)]
        return cell, resources
