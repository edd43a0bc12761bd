"""What a student may see in feedback: their code, their score, and what went wrong in words.

nbgrader's feedback HTML shows every cell of the autograded notebook as it ran, so by default a
student would read the hidden tests, and a failing hidden test's traceback quotes its lines. The
preprocessor here runs before the HTML is written: it cuts the hidden-test regions out of test
cells and shrinks every error in a graded test cell to its one-line message, which the tests
write for students ("the state is not carried from one step to the next").
"""

from __future__ import annotations

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
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


class FeedbackExporter(HTMLExporter):
    """nbconvert's HTML exporter, minus an accessibility pass that would change nothing.

    After rendering, ``HTMLExporter`` parses the whole page with BeautifulSoup to give ``alt``
    text to images without it and ``tabindex`` to JupyterLab-style cells, then serialises it
    again: a third of the feedback's cost. nbgrader's feedback template has no JupyterLab cells,
    so the pass matters only when the page has an image. This exporter renders exactly as
    ``HTMLExporter.from_notebook_node`` does (nbconvert 7.17) and runs the full exporter whenever
    the page holds an ``<img`` or a JupyterLab cell. A page written without the pass differs
    from nbconvert's only in spelling (nbconvert re-serialises: ``<br/>`` for ``<br>``); parsing
    either gives the same document, which ``tests/test_grading_feedback.py`` checks.
    """

    def from_notebook_node(self, nb, resources=None, **kw):
        original = dict(resources or {})
        langinfo = nb.metadata.get("language_info", {})
        lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
        highlight_code = self.filters.get(
            "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
        )
        resources = self._init_resources(resources)
        filter_data_type = WidgetsDataTypeFilter(
            notebook_metadata=self._nb_metadata, parent=self, resources=resources
        )
        self.register_filter("highlight_code", highlight_code)
        self.register_filter("filter_data_type", filter_data_type)
        html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
        if "<img" in html or "jp-Notebook" in html:
            return super().from_notebook_node(nb, original, **kw)
        return html, resources
