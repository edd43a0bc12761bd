"""Grade a whole class in one command: a folder or zip of notebooks in, grades and feedback out.

``python -m rnncourse grade ASSIGNMENT SUBMISSIONS`` (``make grade``) is :func:`grade`:

1. find every student in SUBMISSIONS (:mod:`rnncourse.grading.submissions`) and reject what is
   not a readable notebook (``invalid``) or not there (``missing``) before anything runs;
2. set up ``--out`` (default ``grades/<assignment>/``) as an nbgrader course directory of this
   course: ``nbgrader_config.py``, ``source/``, ``gradebook.db``, and each notebook in
   ``submitted/<student>/<assignment>/``;
3. grade with ``--workers`` long-lived processes (:mod:`rnncourse.grading.worker`): nbgrader's
   autograde and feedback steps in-process, each kernel under a memory cap and the per-cell
   ``--timeout``, with a tamper watch; a progress bar runs meanwhile;
4. replay each result into the gradebook (this process is its only writer), so that formgrader,
   opened in ``--out``, shows every submission for the written answers;
5. write ``grades.csv`` (one row per input student, whatever happened) and print a summary.

A student never makes the command fail: the exit status is non-zero only for the grader's own
problems (unknown assignment, unreadable SUBMISSIONS, a worker that cannot start).
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
import warnings
from collections import Counter, deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait
from pathlib import Path

import nbformat

from rnncourse.grading import release, submissions, worker
from rnncourse.grading.course import REPO, Course

#: Every status a student can get, in the order the summary lists them.
STATUSES = ("graded", "flagged", "timeout", "crashed", "invalid", "missing")
MEANING = {
    "graded": "graded normally",
    "flagged": "graded, but the notebook tampers with grading: read it before trusting the score",
    "timeout": "a cell ran past the time limit and was stopped; later cells were still graded",
    "crashed": "the kernel died or ran out of memory; cells after that score 0",
    "invalid": "not a readable notebook (or nbgrader rejected it): nothing was graded",
    "missing": "no notebook for this assignment: nothing was graded",
}
FIXED_COLUMNS = ["student", "assignment", "status", "score", "max_score"]
EXTRA_COLUMNS = ["file", "note"]
DEFAULT_MEMORY_GB = 4.0


class GraderError(RuntimeError):
    """The grader itself cannot run (broken set-up, a worker that cannot start): exit status 1."""


class UsageError(GraderError):
    """The command was given something it cannot grade (unknown assignment…): exit status 2."""


@dataclass
class Row:
    """One line of ``grades.csv``."""

    student: str
    assignment: str
    status: str
    score: float
    max_score: float
    cells: dict[str, float | None] = field(default_factory=dict)
    file: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        return "; ".join(self.notes)


@dataclass
class Report:
    """The result of a batch: rows in student order, where the files went, how long it took."""

    assignment: str
    out: Path
    rows: list[Row]
    grade_ids: list[str]
    seconds: float

    @property
    def csv_path(self) -> Path:
        return self.out / "grades.csv"

    def counts(self) -> Counter:
        return Counter(row.status for row in self.rows)


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


def kernel_name(course: Course, assignment: str) -> str:
    nb = nbformat.read(course.root / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    return nb.metadata.get("kernelspec", {}).get("name", "python3")


# --------------------------------------------------------------------------- running the workers


@dataclass
class _Handle:
    process: multiprocessing.Process
    conn: object
    ready: bool = False
    task: str | None = None
    started: float = 0.0
    kernels: list[int] = field(default_factory=list)


class WorkerPool:
    """``n`` grading processes (:mod:`rnncourse.grading.worker`), started as early as possible.

    They import nbgrader and start their first kernel while the batch is still setting up the
    course; :meth:`run` then hands out one student at a time to whichever is free. A worker that
    dies, or a submission that takes longer than ``deadline`` seconds in all, costs only that
    submission (``crashed``); a replacement worker takes over the rest.
    """

    def __init__(self, n: int):
        self.ctx = multiprocessing.get_context("spawn")
        self.handles: list[_Handle] = []
        self.spawned = 0
        self.setup: worker.Setup | None = None
        for _ in range(max(1, n)):
            self.handles.append(self._spawn())

    def _spawn(self) -> _Handle:
        self.spawned += 1
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(target=worker.main, args=(child, self.spawned), daemon=True)
        process.start()
        child.close()
        handle = _Handle(process, parent)
        if self.setup is not None:
            handle.conn.send(self.setup)
        return handle

    def run(
        self,
        setup: worker.Setup,
        students: list[str],
        *,
        deadline: float,
        progress: bool = True,
        on_result=None,
    ) -> dict[str, worker.Outcome]:
        """Grade ``students``; every one of them gets an outcome, passed to ``on_result`` as it comes."""
        from tqdm import tqdm

        self.setup = setup
        for handle in self.handles:
            handle.conn.send(setup)
        queue = deque(students)
        outcomes: dict[str, worker.Outcome] = {}
        bar = tqdm(
            total=len(students),
            desc=f"grading {setup.assignment}",
            unit="notebook",
            disable=not progress,
            file=sys.stderr,
            dynamic_ncols=True,
        )

        def finish(handle: _Handle, outcome: worker.Outcome) -> None:
            outcomes[outcome.student] = outcome
            handle.task = None
            if on_result is not None:
                on_result(outcome)
            bar.update()
            counts = Counter(status_of(None, o) for o in outcomes.values())
            bar.set_postfix_str(", ".join(f"{k} {v}" for k, v in counts.items() if k != "graded"))

        try:
            while len(outcomes) < len(students):
                if not self.handles:
                    self.handles.append(self._spawn())
                for handle in self.handles:
                    if handle.ready and handle.task is None and queue:
                        handle.task = queue.popleft()
                        handle.started = time.monotonic()
                        handle.conn.send(handle.task)
                waitables = [h.conn for h in self.handles] + [
                    h.process.sentinel for h in self.handles
                ]
                wait(waitables, timeout=1.0)
                for handle in list(self.handles):
                    lost = False
                    try:
                        while handle.conn.poll():
                            kind, payload = handle.conn.recv()
                            if kind == "ready":
                                handle.ready = True
                            elif kind == "kernel":
                                handle.kernels = [*handle.kernels[-4:], payload]
                            elif kind == "result":
                                finish(handle, worker.Outcome(**payload))
                            elif kind == "failed":
                                raise GraderError(f"a grading worker could not start:\n{payload}")
                    except (EOFError, OSError):
                        lost = True
                    overdue = bool(handle.task) and time.monotonic() - handle.started > deadline
                    if not (lost or overdue or not handle.process.is_alive()):
                        continue
                    if not handle.ready:
                        raise GraderError("a grading worker exited before it was ready")
                    task = handle.task
                    _stop(handle)
                    self.handles.remove(handle)
                    if task:
                        why = (
                            f"grading took longer than {deadline:.0f} s and was stopped"
                            if overdue
                            else "the grading process died"
                        )
                        finish(handle, worker.Outcome(task, died=why))
                    if queue:
                        self.handles.append(self._spawn())
        finally:
            bar.close()
        return outcomes

    def close(self) -> None:
        """Let the workers finish (they stop their kernels), then make sure they are gone."""
        for handle in self.handles:
            try:
                handle.conn.send(None)
            except OSError:
                pass
        for handle in self.handles:
            handle.process.join(timeout=15)
            _stop(handle)
        self.handles = []


def _stop(handle: _Handle) -> None:
    """Stop a worker and every kernel it started (they run in their own process groups)."""
    if handle.process.is_alive():
        handle.process.kill()
        handle.process.join(timeout=10)
    for pid in handle.kernels:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                if b"ipykernel" not in fh.read():
                    continue
            os.killpg(pid, signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass
    handle.kernels = []


# --------------------------------------------------------------------------- statuses and rows


def status_of(entry: submissions.Entry | None, outcome: worker.Outcome | None) -> str:
    """The status of one student (see :data:`MEANING`); the first that applies wins."""
    if entry is not None and entry.status:
        return entry.status
    if outcome is not None and outcome.grader_failure:
        return "crashed"
    if outcome is None or (not outcome.graded and not outcome.died):
        return "invalid"
    if outcome.flags:
        return "flagged"
    if outcome.died or outcome.memory or outcome.error:
        return "crashed"
    if outcome.timeouts:
        return "timeout"
    return "graded"


def outcome_notes(outcome: worker.Outcome, timeout: int, memory_gb: float | None) -> list[str]:
    notes = []
    if outcome.grader_failure:
        notes.append(f"the grader failed: {outcome.grader_failure} (re-run this student)")
    elif outcome.error:
        notes.append(outcome.error)
    if outcome.died:
        notes.append(outcome.died)
    for where in outcome.memory:
        cap = f" (limit {memory_gb:g} GB)" if memory_gb else ""
        notes.append(f"{where} ran out of memory{cap}")
    for where in outcome.timeouts:
        notes.append(f"{where} ran past {timeout} s and was stopped")
    notes += [f"tampering: {flag}" for flag in outcome.flags]
    notes += outcome.notes
    return notes


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


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def write_csv(report: Report) -> Path:
    path = report.csv_path
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(FIXED_COLUMNS + report.grade_ids + EXTRA_COLUMNS)
        for row in report.rows:
            out.writerow(
                [
                    row.student,
                    row.assignment,
                    row.status,
                    _number(row.score),
                    _number(row.max_score),
                ]
                + [_number(row.cells.get(gid)) for gid in report.grade_ids]
                + [row.file, row.note]
            )
    return path


def summary(report: Report) -> str:
    """The table printed at the end: counts per status, then every student who needs a look."""
    counts = report.counts()
    lines = [f"{report.assignment}: {len(report.rows)} student(s) in {report.seconds:.0f} s", ""]
    lines.append(f"  {'status':<8} {'count':>5}  meaning")
    for status in STATUSES:
        lines.append(f"  {status:<8} {counts.get(status, 0):>5}  {MEANING[status]}")
    ran = [r for r in report.rows if r.status in ("graded", "flagged", "timeout", "crashed")]
    if ran:
        top = ran[0].max_score
        mean = sum(r.score for r in ran) / len(ran)
        lines += ["", f"  mean score of graded notebooks: {mean:.1f} / {top:g}"]
    attention = [r for r in report.rows if r.status != "graded"]
    if attention:
        width = max(len(r.student) for r in attention)
        lines += ["", "  needs a look:"]
        for r in attention:
            note = r.note if len(r.note) <= 110 else r.note[:107] + "..."
            lines.append(f"  {r.student:<{width}}  {r.status:<8} {_number(r.score):>5}  {note}")
    lines += [
        "",
        f"  grades:   {report.csv_path}",
        f"  feedback: {report.out / 'feedback'}/<student>/{report.assignment}/",
        f"  written answers: cd {report.out} && jupyter lab (Nbgrader > Formgrader)",
    ]
    return "\n".join(lines)


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
) -> Report:
    """Grade every notebook in ``source`` (a folder or a zip); see the module documentation."""
    start = time.perf_counter()
    known = release.assignments()
    if assignment not in known:
        raise UsageError(f"unknown assignment {assignment!r} (known: {', '.join(known)})")
    source = Path(source)
    if not source.exists():
        raise UsageError(f"{source} does not exist")
    if not (source.is_dir() or source.suffix.lower() == ".zip"):
        raise UsageError(f"{source} is neither a folder nor a .zip file")
    if len(list((REPO / "source" / assignment).glob("*.ipynb"))) != 1:
        raise GraderError(f"source/{assignment}/ must hold exactly one notebook")
    out = Path(out if out is not None else Path("grades") / assignment).resolve()
    timeout = int(timeout) if timeout else default_timeout()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    workers = max(1, int(workers or cores or 1))
    memory_bytes = int(memory_gb * 2**30) if memory_gb else None

    with tempfile.TemporaryDirectory(prefix="rnncourse-grade-") as tmp:
        tmp = Path(tmp)
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

        todo = [e for e in entries if e.status is None]
        # the workers import nbgrader and boot their first kernel while the course is set up
        pool = WorkerPool(min(workers, len(todo))) if todo else None
        book = None
        try:
            out.mkdir(parents=True, exist_ok=True)
            course = prepare_course(out, assignment, timeout)
            grade_ids, manual, points = grade_cells(course, assignment)
            for entry in entries:
                for step in ("submitted", "autograded", "feedback"):
                    folder = out / step / entry.student / assignment
                    if folder.exists():
                        worker.rmtree(folder)
                if entry.status is None:
                    target = out / "submitted" / entry.student / assignment / f"{assignment}.ipynb"
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(entry.path, target)
            book = Book(course, assignment, manual, points, timeout=timeout, memory_gb=memory_gb)
            by_student = {e.student: e for e in entries}
            if pool is not None:
                shutil.copyfile(out / "gradebook.db", tmp / "gradebook.db")
                setup = worker.Setup(
                    root=str(out),
                    assignment=assignment,
                    gradebook=str(tmp / "gradebook.db"),
                    scratch=str(tmp / "workers"),
                    timeout=timeout,
                    memory_bytes=memory_bytes,
                    env=course.env(),
                    kernel_name=kernel_name(course, assignment),
                )
                deadline = timeout * (len(grade_ids) * 2 + 4) + 120
                students = [e.student for e in todo]
                outcomes = pool.run(
                    setup,
                    students,
                    deadline=deadline,
                    progress=progress,
                    on_result=lambda o: book.record(by_student[o.student], o),
                )
                failures = [o.grader_failure for o in outcomes.values() if o.grader_failure]
                if len(failures) == len(students):
                    raise GraderError(f"no submission could be run: {failures[0]}")
            for entry in entries:
                if entry.student not in book.rows:
                    book.record(entry, None)
            rows = [book.rows[e.student] for e in entries]
        finally:
            if pool is not None:
                pool.close()
            if book is not None:
                book.close()
    report = Report(assignment, out, rows, grade_ids, time.perf_counter() - start)
    write_csv(report)
    return report


class Book:
    """The course's gradebook, written by this process only, one student at a time.

    :meth:`record` stores a student's result as soon as it arrives (while the workers go on) and
    builds their CSV row from what the gradebook then holds.
    """

    def __init__(self, course, assignment, manual, points, *, timeout, memory_gb):
        from nbgrader.api import Gradebook

        self.course, self.assignment = course, assignment
        self.manual, self.top = manual, sum(points.values())
        self.timeout, self.memory_gb = timeout, memory_gb
        course_id = course_config(course.root).CourseDirectory.get("course_id", "default_course")
        self.gb = Gradebook(course.db_url, course_id)
        self.rows: dict[str, Row] = {}

    def record(self, entry: submissions.Entry, outcome: worker.Outcome | None) -> Row:
        from nbgrader.api import MissingEntry

        a, out, gb = self.assignment, self.course.root, self.gb
        notes = list(entry.notes or [])
        if outcome is not None:
            notes += outcome_notes(outcome, self.timeout, self.memory_gb)
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
