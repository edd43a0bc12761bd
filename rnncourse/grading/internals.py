"""Every place where the grader reaches into nbgrader, nbclient or nbconvert past their public API.

The versions are pinned in ``requirements.txt``: nbgrader 0.9.6, nbclient 0.11.0, nbconvert
7.17.2, jupyter_client 8.10.0. Each reach below says why it is there and which test fails when an
upgrade breaks it; after upgrading one of these packages, run those tests first.

* :class:`DeduplicateIdsSafely`: nbgrader leaves ``"nbgrader": {}`` on a duplicated cell, then
  fails on the whole notebook. Noticed by ``test_grade_batch.py`` (``duplicated-cells``).
* :class:`OverwriteCellsSafely`: nbgrader fails on a notebook whose answer cell was deleted with
  its test cell, and does not restore a cell's ``grade`` and ``solution`` flags.
  ``test_grade_batch.py`` (``deleted-cells``, ``changed-flags``).
* :func:`as_restored`: a test cell nbgrader puts back starts with a comment of its own, and the
  grader must still know it for the instructor's. ``test_grade_routing.py``.
* :func:`save_grades`: ``SaveAutoGrades``'s rules with one commit per student.
  ``test_grade_batch.py`` (the course check).
* :func:`share_database_engines`: one SQLAlchemy engine, so SQL compiled once, per worker.
  ``test_grading_course.py``.
* :func:`new_gradebook_in_process`: a new gradebook without an ``alembic`` subprocess.
  ``test_grading_course.py``.
* :func:`start_client` and :func:`run_cell_in`: nbclient runs a notebook in one kernel; the
  grader runs each cell in one of two. ``test_grade_batch.py`` (every run).
* :class:`FeedbackExporter`: no BeautifulSoup pass over pages without images.
  ``test_grading_feedback.py``.
* :func:`feedback_converter` and :func:`write_feedback`: one feedback exporter for all students.
  ``test_grade_batch.py`` (the feedback check).

One reach lives elsewhere on purpose: :mod:`rnncourse.grading.agent`, which runs in the
student's kernel and must not load nbgrader there, serves calls from ipykernel 7.4's asyncio
event loop and silences a call's displays through ``kernel.session`` and ``kernel.iopub_socket``.
``test_grade_proxy.py`` and the honest notebooks of ``test_grade_batch.py`` notice a change.
"""

from __future__ import annotations

from contextlib import contextmanager

from nbconvert.exporters import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
from nbgrader.preprocessors import DeduplicateIds, OverwriteCells

# --------------------------------------------------------------------------- nbgrader: sanitising


class DeduplicateIdsSafely(DeduplicateIds):
    """nbgrader's ``DeduplicateIds``, except that a duplicate loses its nbgrader metadata entirely.

    nbgrader 0.9.6 leaves ``"nbgrader": {}`` on the copy, and with ``add_missing_cells`` on,
    ``OverwriteCells.add_missing_task_cells`` then fails on it (``KeyError: 'grade_id'``): a
    student who copy-pasted a cell would not be graded at all.
    """

    def preprocess_cell(self, cell, resources, index):
        cell, resources = super().preprocess_cell(cell, resources, index)
        if cell.get("metadata", {}).get("nbgrader", None) == {}:
            del cell.metadata["nbgrader"]
        return cell, resources


class OverwriteCellsSafely(OverwriteCells):
    """nbgrader's ``OverwriteCells`` without two ways to fail on a whole submission.

    * a cell whose ``grade_id`` is not in the assignment becomes an ordinary cell (nbgrader
      removes only its ``grade_id``, and ``add_missing_task_cells`` then fails on it);
    * a deleted grade cell goes back after the nearest earlier cell of the assignment that is still
      there (nbgrader looks only at the cell just before it and fails with ``KeyError`` when the
      student deleted that one too, e.g. an answer cell together with its test cell).
    """

    def preprocess_cell(self, cell, resources, index):
        self._restore_flags(cell)
        cell, resources = super().preprocess_cell(cell, resources, index)
        meta = cell.get("metadata", {}).get("nbgrader", None)
        if meta is not None and "grade_id" not in meta:
            del cell.metadata["nbgrader"]
        return cell, resources

    def _restore_flags(self, cell) -> None:
        """Put back a cell's ``grade`` and ``solution`` flags as the assignment has them.

        nbgrader 0.9.6 restores a cell's type, lock, points and (if locked) source, but not these
        two: a test cell marked ``grade: false`` would simply not be scored.
        """
        from nbgrader.api import MissingEntry

        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id is None:
            return
        ids = (grade_id, self.notebook_id, self.assignment_id)
        try:
            self.gradebook.find_source_cell(*ids)
        except MissingEntry:
            return  # an unknown cell: nbgrader drops its id
        for flag, find in (
            ("grade", self.gradebook.find_graded_cell),
            ("solution", self.gradebook.find_solution_cell),
        ):
            try:
                find(*ids)
                expected = True
            except MissingEntry:
                expected = False
            if bool(cell.metadata.nbgrader.get(flag, False)) != expected:
                self.report_change(grade_id, flag, expected, not expected)
                cell.metadata.nbgrader[flag] = expected
                if flag == "grade" and expected and "points" not in cell.metadata.nbgrader:
                    cell.metadata.nbgrader["points"] = 0  # nbgrader then restores the points

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = {c.name: c for c in source_nb.source_cells}
        order = [c.name for c in source_nb.source_cells]
        grade_cells = {c.name: c for c in source_nb.grade_cells}
        solutions = {c.name for c in source_nb.solution_cells}
        for name in [n for n in order if n in grade_cells]:
            where = {
                gid: i
                for i, c in enumerate(nb.cells)
                if (gid := c.get("metadata", {}).get("nbgrader", {}).get("grade_id"))
            }
            if name in where:
                continue
            self.log.warning(f"Missing grade cell {name} encountered, adding to notebook")
            cell = self.missing_cell_transform(
                source_cells[name], grade_cells[name].max_score, is_solution=name in solutions
            )
            before = [where[n] for n in order[: order.index(name)] if n in where]
            nb.cells.insert(max(before) + 1 if before else 0, cell)
        return nb, resources


def as_restored(grade_id: str, source: str) -> str:
    """The source nbgrader 0.9.6 gives a test cell it puts back (``missing_cell_transform``):
    a comment saying so, then the instructor's source."""
    trait = OverwriteCells.class_traits()["missing_cell_notification"]
    return "# " + trait.default_value.format(cell_id=grade_id) + source


# --------------------------------------------------------------------------- nbgrader: the gradebook


def save_grades(gb, nb, assignment: str, notebook: str, student: str, log=None) -> None:
    """Record the grades of an autograded notebook, as nbgrader's ``SaveAutoGrades`` does.

    Kept to nbgrader 0.9.6's rules (``SaveAutoGrades._add_score`` and ``_add_comment``), but with
    one open gradebook and one commit per student instead of one per cell.
    """
    from nbgrader import utils

    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if utils.is_grade(cell):
            grade = gb.find_grade(gid, notebook, assignment, student)
            grade.auto_score, _ = utils.determine_grade(cell, log)
            grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None
        if utils.is_solution(cell) or utils.is_task(cell):
            comment = gb.find_comment(gid, notebook, assignment, student)
            unchanged = cell.metadata.nbgrader.get("checksum") == utils.compute_checksum(cell)
            comment.auto_comment = "No response." if unchanged and not utils.is_task(cell) else None
    gb.db.commit()


def share_database_engines() -> None:
    """Let every nbgrader ``Gradebook`` in this process reuse one SQLAlchemy engine per database.

    nbgrader opens a new ``Gradebook`` (a new engine) in each of its steps, about ten times per
    submission, and a new engine starts with an empty cache of compiled SQL: most of the
    gradebook's cost was compiling the same queries again. With one engine per URL the queries
    are compiled once per worker. ``Gradebook.close()`` still disposes of the engine's
    connections; the engine (and its cache) stays.
    """
    import nbgrader.api
    import sqlalchemy

    engines: dict = {}

    def create_engine(url, **kwargs):
        key = (str(url), tuple(sorted(kwargs.items())))
        if key not in engines:
            engines[key] = sqlalchemy.create_engine(url, **kwargs)
        return engines[key]

    nbgrader.api.create_engine = create_engine


def alembic_head() -> str:
    """The revision nbgrader stamps on a new gradebook (``alembic heads``, without a subprocess)."""
    from alembic.script import ScriptDirectory
    from nbgrader.dbutil import ALEMBIC_DIR

    (head,) = ScriptDirectory(ALEMBIC_DIR).get_heads()
    return head


@contextmanager
def new_gradebook_in_process():
    """A new nbgrader gradebook asks a subprocess for its database version; ask in-process."""
    from unittest import mock

    import nbgrader.api

    with mock.patch.object(nbgrader.api, "get_alembic_version", alembic_head):
        yield


# --------------------------------------------------------------------------- nbclient: two kernels


def run_cell_in(client, km, kc, cell, index: int):
    """Run ``cell`` with nbclient's ``client`` in the kernel of ``km`` and ``kc``.

    nbclient's ``NotebookClient`` keeps one kernel in ``self.km`` and ``self.kc`` for a whole
    notebook, and reads both afresh for every cell (execution, output polling, the liveness
    check, the interrupt on timeout). The grader's routed execution runs each cell in the
    student's sandboxed kernel or in the trusted kernel, so it points them at the right one for
    each cell; everything else is nbclient's own ``execute_cell``.
    """
    client.km, client.kc = km, kc
    return client.execute_cell(cell, index, store_history=True)


def start_client(client, nb, resources) -> None:
    """Reset ``client`` (an nbconvert ``ExecutePreprocessor``) for ``nb``, as its ``preprocess``
    does before it starts a kernel (nbconvert 7.17: ``NotebookClient.__init__`` again, then
    ``reset_execution_trackers``)."""
    from nbclient import NotebookClient

    NotebookClient.__init__(client, nb, None)
    client.reset_execution_trackers()
    client._check_assign_resources(resources)


# --------------------------------------------------------------------------- nbconvert: feedback pages


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


def feedback_converter(config):
    """nbgrader's ``GenerateFeedback`` set up once, with one :class:`FeedbackExporter`.

    ``GenerateFeedback.start()`` builds a new exporter (and compiles its templates) on every
    call; :func:`write_feedback` does the same steps as nbgrader 0.9.6's ``BaseConverter.start``
    for one student with this converter, so the exporter is built once per worker.
    """
    from nbconvert.writers import FilesWriter
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    converter = GenerateFeedback(coursedir=CourseDirectory(config=config), config=config)
    converter.writer = FilesWriter(parent=converter, config=converter.config)
    converter.exporter = FeedbackExporter(parent=converter, config=converter.config)
    for pp in converter.preprocessors:
        converter.exporter.register_preprocessor(pp)
    return converter


def write_feedback(converter, student: str) -> None:
    """``nbgrader generate_feedback --student <student>`` with ``converter`` (run in the course root)."""
    import os

    converter.coursedir.student_id = student
    converter.init_notebooks()
    here = os.getcwd()
    os.chdir(converter.coursedir.root)
    try:
        converter.convert_notebooks()
    finally:
        os.chdir(here)
