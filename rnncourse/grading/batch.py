"""Grade a whole class in one command: a folder or zip of notebooks in, grades and feedback out.

``python -m rnncourse grade ASSIGNMENT SUBMISSIONS`` (``make grade``) is :func:`grade`:

1. find every student in SUBMISSIONS (:mod:`rnncourse.grading.submissions`) and reject what is
   not a readable notebook (``invalid``) or not there (``missing``) before anything runs;
2. check that students' kernels can be confined here (:func:`rnncourse.grading.sandbox.probe`),
   and say so if they cannot;
3. set up ``--out`` (default ``grades/<assignment>/``) as an nbgrader course directory of this
   course: ``nbgrader_config.py``, ``source/``, ``gradebook.db``, and each notebook in
   ``submitted/<student>/<assignment>/``;
4. grade with ``--workers`` long-lived processes (:mod:`rnncourse.grading.worker`), each
   running students' cells in sandboxed kernels and the tests in a trusted kernel of its own;
   a progress bar runs meanwhile;
5. replay each result into the gradebook (this process is its only writer), so that formgrader,
   opened in ``--out``, shows every submission for the written answers;
6. write ``grades.csv`` (one row per input student, whatever happened) and print a summary.

A student never makes the command fail: the exit status is non-zero only for the grader's own
problems (unknown assignment, unreadable SUBMISSIONS, a worker that cannot start).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import warnings
from pathlib import Path

import nbformat

from rnncourse.grading import cgroups, pool, release, sandbox, submissions, worker
from rnncourse.grading.course import REPO, Course
from rnncourse.grading.internals import save_grades
from rnncourse.grading.pool import GraderError
from rnncourse.grading.results import (
    MEANING,
    STATUSES,
    Report,
    Row,
    outcome_notes,
    status_of,
    summary,
    write_csv,
)

__all__ = ["MEANING", "STATUSES", "GraderError", "Report", "UsageError", "grade", "summary"]
DEFAULT_MEMORY_GB = 4.0


class UsageError(GraderError):
    """The command was given something it cannot grade (unknown assignment…): exit status 2."""


# --------------------------------------------------------------------------- the course folder


def course_config(folder: Path = REPO):
    """The traitlets config that ``nbgrader_config.py`` in ``folder`` sets."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(folder)).load_config()


def default_timeout(repo: Path = REPO) -> int:
    """The per-cell timeout of the course's ``nbgrader_config.py`` (``c.Execute.timeout``)."""
    return int(course_config(repo).Execute.get("timeout", 30))


def prepare_course(out: Path, assignment: str, timeout: int) -> Course:
    """``out`` as an nbgrader course of this course, with ``assignment`` in its gradebook."""
    course = Course(out, extra_config=(f"c.Execute.timeout = {int(timeout)}",))
    source = REPO / "source" / assignment / f"{assignment}.ipynb"
    copy = out / "source" / assignment / f"{assignment}.ipynb"
    fresh = copy.exists() and copy.read_bytes() == source.read_bytes()
    if not (fresh and (out / "gradebook.db").exists() and _in_gradebook(course, assignment)):
        course.add_source(assignment)
        course.generate_assignment(assignment, in_process=True)
    return course


def _in_gradebook(course: Course, assignment: str) -> bool:
    from nbgrader.api import Gradebook, MissingEntry

    try:
        with Gradebook(course.db_url) as gb:
            gb.find_assignment(assignment)
        return True
    except MissingEntry:
        return False


def grade_cells(course: Course, assignment: str) -> tuple[list[str], list[str], dict[str, float]]:
    """(every graded cell's grade_id in notebook order, the manually graded ones, their points)."""
    nb = nbformat.read(course.root / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    ids, manual, points = [], [], {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade"):
            ids.append(meta["grade_id"])
            points[meta["grade_id"]] = float(meta.get("points", 0))
            if meta.get("solution") or cell.cell_type != "code":
                manual.append(meta["grade_id"])
    return ids, manual, points


# --------------------------------------------------------------------------- the command


def grade(
    assignment: str,
    source: Path,
    out: Path | None = None,
    *,
    workers: int | None = None,
    timeout: int | None = None,
    memory_gb: float | None = DEFAULT_MEMORY_GB,
    progress: bool = True,
    confine: bool = True,
) -> Report:
    """Grade every notebook in ``source`` (a folder or a zip); see the module documentation.

    ``confine=False`` runs students' kernels unconfined even where they could be confined (the
    tests use it to check what the grader says then); separation holds either way.
    """
    start = time.perf_counter()
    source = _checked(assignment, Path(source))
    out = Path(out if out is not None else Path("grades") / assignment).resolve()
    timeout = int(timeout) if timeout else default_timeout()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = min(max(1, int(workers or cores or 1)), sandbox.MAX_WORKERS)
    limits = sandbox.Limits(memory_bytes=int(memory_gb * 2**30) if memory_gb else None)

    with tempfile.TemporaryDirectory(prefix="rnncourse-grade-") as tmp:
        tmp = Path(tmp)
        entries = _students(source, tmp, out, assignment)
        todo = [e for e in entries if e.status is None]
        # the workers import nbgrader and boot their kernels while the course is set up
        workers_pool = pool.WorkerPool(min(workers, len(todo))) if todo else None
        book = None
        try:
            confinement = _confinement(limits, confine)
            out.mkdir(parents=True, exist_ok=True)
            course = prepare_course(out, assignment, timeout)
            fonts = _in_background(worker.matplotlib_cache, out / ".home" / "matplotlib-cache")
            grade_ids, manual, points = grade_cells(course, assignment)
            _place_submissions(out, assignment, entries)
            unconfined = "" if confinement.confined else f"graded UNCONFINED ({confinement.why})"
            book = Book(
                course,
                assignment,
                manual,
                points,
                timeout=timeout,
                memory_gb=memory_gb,
                note=unconfined,
            )
            if workers_pool is not None:
                shutil.copyfile(out / "gradebook.db", tmp / "gradebook.db")
                setup = worker.Setup(
                    root=str(out),
                    assignment=assignment,
                    gradebook=str(tmp / "gradebook.db"),
                    scratch=str(tmp / "workers"),
                    timeout=timeout,
                    env=course.env(),
                    confinement=confinement,
                    limits=limits,
                    files=fonts(),
                )
                deadline = timeout * (len(grade_ids) * 2 + 4) + 120
                _grade_all(workers_pool, setup, todo, book, deadline=deadline, progress=progress)
            for entry in entries:
                if entry.student not in book.rows:
                    book.record(entry, None)
            rows = [book.rows[e.student] for e in entries]
        finally:
            if workers_pool is not None:
                workers_pool.close()
            if book is not None:
                book.close()
    seconds = time.perf_counter() - start
    report = Report(assignment, out, rows, grade_ids, seconds, confinement.describe(limits))
    write_csv(report)
    return report


def _checked(assignment: str, source: Path) -> Path:
    """``source``, if it is something to grade for a known assignment; else a usage error."""
    known = release.assignments()
    if assignment not in known:
        raise UsageError(f"unknown assignment {assignment!r} (known: {', '.join(known)})")
    if not source.exists():
        raise UsageError(f"{source} does not exist")
    if not (source.is_dir() or source.suffix.lower() == ".zip"):
        raise UsageError(f"{source} is neither a folder nor a .zip file")
    if len(list((REPO / "source" / assignment).glob("*.ipynb"))) != 1:
        raise GraderError(f"source/{assignment}/ must hold exactly one notebook")
    return source


def _confinement(limits: sandbox.Limits, confine: bool) -> sandbox.Confinement:
    """How students' kernels will run here (probed once for the batch)."""
    if not confine:
        return sandbox.Confinement(False, "confinement was switched off")
    hierarchy = cgroups.find()
    return sandbox.probe(limits, hierarchy.version if hierarchy else "")


def _grade_all(workers_pool, setup, todo, book, *, deadline: float, progress: bool) -> None:
    """Grade every gradable student, recording each result as it arrives."""
    by_student = {e.student: e for e in todo}
    students = [e.student for e in todo]
    outcomes = pool.run(
        workers_pool,
        setup,
        students,
        deadline=deadline,
        progress=progress,
        on_result=lambda o: book.record(by_student[o.student], o),
    )
    failures = [o.grader_failure for o in outcomes.values() if o.grader_failure]
    if len(failures) == len(students):
        raise GraderError(f"no submission could be run: {failures[0]}")


def _students(source: Path, tmp: Path, out: Path, assignment: str) -> list[submissions.Entry]:
    """Every student in ``source`` (unpacked into ``tmp`` if a zip), unreadable files marked."""
    try:
        root = submissions.unpack(source, tmp / "input") if source.is_file() else source
    except submissions.SubmissionsError as exc:
        raise UsageError(str(exc)) from None
    if root == source and (source.resolve() == out or out in source.resolve().parents):
        # e.g. SUBMISSIONS=grades/ex1-forward/submitted: read a copy, the original is rewritten
        root = Path(shutil.copytree(source, tmp / "input"))
    entries = submissions.collect(Path(root).resolve(), assignment, exclude=out)
    for entry in entries:
        if entry.path is not None and entry.status is None:
            problem = submissions.read_problem(entry.path)
            if problem:
                entry.status = "invalid"
                entry.note(problem)
    return entries


def _place_submissions(out: Path, assignment: str, entries) -> None:
    """Each gradable notebook in ``submitted/<student>/<assignment>/``; old results removed."""
    for entry in entries:
        for step in ("submitted", "autograded", "feedback"):
            folder = out / step / entry.student / assignment
            if folder.exists():
                worker.rmtree(folder)
        if entry.status is None:
            target = out / "submitted" / entry.student / assignment / f"{assignment}.ipynb"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(entry.path, target)


def _in_background(function, *args):
    """Start ``function(*args)`` in a thread; the returned callable waits for its result."""
    result = {}
    thread = threading.Thread(
        target=lambda: result.setdefault("value", function(*args)), daemon=True
    )
    thread.start()

    def value():
        thread.join()
        return result.get("value", {})

    return value


class Book:
    """The course's gradebook, written by this process only, one student at a time.

    :meth:`record` stores a student's result as soon as it arrives (while the workers go on) and
    builds their CSV row from what the gradebook then holds.
    """

    def __init__(self, course, assignment, manual, points, *, timeout, memory_gb, note=""):
        from nbgrader.api import Gradebook

        self.course, self.assignment = course, assignment
        self.manual, self.top = manual, sum(points.values())
        self.timeout, self.memory_gb, self.note = timeout, memory_gb, note
        course_id = course_config(course.root).CourseDirectory.get("course_id", "default_course")
        self.gb = Gradebook(course.db_url, course_id)
        self.rows: dict[str, Row] = {}

    def record(self, entry: submissions.Entry, outcome: worker.Outcome | None) -> Row:
        from nbgrader.api import MissingEntry

        a, out, gb = self.assignment, self.course.root, self.gb
        notes = list(entry.notes or [])
        if outcome is not None:
            notes += outcome_notes(outcome, self.timeout, self.memory_gb)
            if self.note:
                notes.append(self.note)
        row = Row(entry.student, a, status_of(entry, outcome), 0.0, self.top, file=entry.origin)
        row.notes = notes
        graded = out / "autograded" / entry.student / a / f"{a}.ipynb"
        with warnings.catch_warnings():
            # nbgrader's update_or_create_submission makes SQLAlchemy warn about autoflush, and
            # nbformat about the duplicate cell ids it repairs
            warnings.simplefilter("ignore")
            gb.update_or_create_student(entry.student)
            if outcome is not None and outcome.graded and graded.exists():
                gb.update_or_create_submission(a, entry.student)
                save_grades(gb, nbformat.read(graded, as_version=4), a, a, entry.student)
                for g in gb.find_submission_notebook(a, a, entry.student).grades:
                    value = g.manual_score if g.manual_score is not None else g.auto_score
                    row.cells[g.name] = None if value is None else float(value)
                row.score = float(sum(v for v in row.cells.values() if v is not None))
                pending = [gid for gid in self.manual if row.cells.get(gid) is None]
                if pending:
                    row.notes.append(f"to grade by hand: {', '.join(pending)}")
            else:
                try:
                    gb.remove_submission(a, entry.student)
                except MissingEntry:
                    pass
                for step in ("autograded", "feedback"):
                    folder = out / step / entry.student / a
                    if folder.exists():
                        worker.rmtree(folder)
        self.rows[entry.student] = row
        return row

    def close(self) -> None:
        self.gb.close()
