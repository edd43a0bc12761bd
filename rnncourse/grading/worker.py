"""A long-lived grading process: nbgrader's autograde and feedback, in-process, one student at a time.

``nbgrader autograde`` spends seconds starting up before it grades anything, then grades students
one after another. The batch grader (:mod:`rnncourse.grading.batch`) instead starts a few of these
workers once, and each grades many submissions with nbgrader's own converters (``Autograde``, then
``GenerateFeedback``) and the course's ``nbgrader_config.py``, so scores are what
``nbgrader autograde`` gives. A worker differs from nbgrader in these ways, all for robustness:

* **its own gradebook.** Each worker grades against a private copy of the course's gradebook;
  the batch process is the only writer of the real one (it replays the grades from the autograded
  notebook). Workers never contend for the SQLite file.
* **the next kernel is started early.** While one submission runs, the kernel for the next is
  already booting (:class:`KernelPool`). The grader's first cell moves it into the submission's
  folder.
* **limits.** Every kernel gets an address-space limit (``RLIMIT_AS``), so a memory bomb ends with
  ``MemoryError`` or a dead kernel instead of taking the machine. A cell's output is capped while
  it arrives (nbgrader's ``LimitOutput`` only trims it afterwards).
* **a dead kernel is not the end.** nbgrader drops a submission whose kernel dies or stops
  answering; :class:`GuardedExecute` keeps the cells that ran, marks the rest as not run (so their
  tests score 0, never full marks for lack of output), and the submission is still graded.
* **tampering is watched** (:mod:`rnncourse.grading.tamper`): a static scan of the student's cells
  and a run-time watch in the kernel, whose two extra cells are removed before anything is saved.
* **two nbgrader 0.9.6 failures are repaired**: a notebook with a duplicated nbgrader cell, or with
  an answer cell deleted together with its test cell, makes ``OverwriteCells`` raise ``KeyError``
  and nbgrader skips the whole submission; :class:`DeduplicateIdsSafely` and
  :class:`OverwriteCellsSafely` grade it.

The batch process talks to a worker over a pipe: it sends a :class:`Setup`, then one student id
at a time (the notebook is already in ``submitted/<student>/<assignment>/``), and receives an
:class:`Outcome` as a dict for each.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
import signal
import sys
import time
import traceback
import warnings
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import nbformat
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import DeduplicateIds, Execute, OverwriteCells

from rnncourse.grading import tamper
from rnncourse.grading.feedback import FeedbackExporter

#: Characters of output one cell may produce while it runs; the rest is dropped as it arrives.
MAX_CELL_OUTPUT = 100_000
GRADER_CELL = "rnncourse_grader"  # metadata key of the two cells the grader adds


@dataclass
class Setup:
    """What a worker needs, sent once when it starts (everything picklable)."""

    root: str  # the course directory (the batch's --out)
    assignment: str
    gradebook: str  # a copy of the gradebook to start the worker's private one from
    scratch: str  # a private folder for the worker (gradebook, kernel sockets)
    timeout: int
    memory_bytes: int | None
    env: dict[str, str]
    kernel_name: str = "python3"


@dataclass
class Outcome:
    """What happened to one submission (the batch turns it into a status)."""

    student: str
    graded: bool = False  # an autograded notebook was written
    died: str = ""  # why the kernel died, if it did
    timeouts: list[str] = field(default_factory=list)  # cells that ran past the timeout
    memory: list[str] = field(default_factory=list)  # cells that ran out of memory
    flags: list[str] = field(default_factory=list)  # tampering findings
    notes: list[str] = field(default_factory=list)  # what nbgrader repaired, in words
    error: str = ""  # why nbgrader could not grade it at all
    grader_failure: str = ""  # the grader's own trouble (no kernel would start…), not the student's
    feedback: bool = False
    seconds: float = 0.0


# --------------------------------------------------------------------------- kernels


class KernelPool:
    """Starts kernels with a memory limit, one ahead of need, and kills them (and children)."""

    def __init__(self, kernel_name: str, memory_bytes: int | None, sockets: Path, notify=None):
        self.kernel_name = kernel_name
        self.memory_bytes = memory_bytes
        self.sockets = Path(sockets)
        self.sockets.mkdir(parents=True, exist_ok=True)
        self.notify = notify
        self.count = 0
        self.spare = None

    def _start(self):
        from jupyter_client.manager import AsyncKernelManager

        self.count += 1
        km = AsyncKernelManager(
            kernel_name=self.kernel_name,
            transport="ipc",  # no TCP ports: parallel kernels can never pick the same one
            connection_file=str(self.sockets / f"k{self.count}.json"),
        )
        run_sync(km.start_kernel)(
            extra_arguments=["--HistoryManager.hist_file=:memory:"], cwd=str(self.sockets)
        )
        pid = km.provisioner.pid
        limit(pid, self.memory_bytes)
        km._rnncourse_process = km.provisioner.process  # to read the exit code after death
        if self.notify:
            self.notify(pid)
        return km

    def take(self):
        """A started kernel (booted ahead if possible); the next one starts booting now."""
        km, self.spare = self.spare, None
        if km is None or not run_sync(km.is_alive)():
            if km is not None:
                self.discard(km)
            km = self._start()
        self.spare = self._start()
        return km

    def discard(self, km) -> None:
        """Kill the kernel's whole process group and remove its files."""
        process = getattr(km, "_rnncourse_process", None)
        if process is not None:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                process.wait(timeout=10)
            except Exception:
                pass
        try:
            run_sync(km.cleanup_resources)()
        except Exception:
            pass

    def close(self) -> None:
        if self.spare is not None:
            self.discard(self.spare)
            self.spare = None


def limit(pid: int, memory_bytes: int | None) -> None:
    """Cap the address space of process ``pid`` (Linux; elsewhere the cap is skipped)."""
    try:
        import resource

        resource.prlimit(pid, resource.RLIMIT_CORE, (0, 0))
        if memory_bytes:
            resource.prlimit(pid, resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ImportError, AttributeError, OSError):
        pass


def exit_reason(process) -> str:
    """Why a kernel process ended, in words."""
    code = process.poll() if process is not None else None
    if code is None:
        return "the kernel stopped responding"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the kernel was killed by {name}"
    return f"the kernel exited with status {code}"


# --------------------------------------------------------------------------- execution

#: Set by the worker for the submission being graded (one at a time per process).
CURRENT: Outcome | None = None
POOL: KernelPool | None = None
#: The instructor's locked cells (source and released versions): an unchanged copy is no threat.
INSTRUCTOR: set[str] = set()


class GuardedExecute(Execute):
    """nbgrader's ``Execute`` with a warm kernel, a tamper watch, an output cap, and crash care."""

    def preprocess(self, nb: NotebookNode, resources: dict, km=None):
        outcome = CURRENT if CURRENT is not None else Outcome("?")
        self.shutdown_kernel = "immediate"
        outcome.flags += tamper.scan(student_cells(nb))

        nonce = secrets.token_hex(8)
        workdir = (resources.get("metadata") or {}).get("path") or os.getcwd()
        first = nbformat.v4.new_code_cell(tamper.baseline_cell(nonce, os.path.abspath(workdir)))
        last = nbformat.v4.new_code_cell(tamper.probe_cell(nonce))
        first.metadata[GRADER_CELL] = "baseline"
        last.metadata[GRADER_CELL] = "probe"
        nb.cells.insert(0, first)
        nb.cells.append(last)

        self._running = 0
        self._output_used: dict[int, int] = {}
        try:
            km = POOL.take() if POOL is not None else None
        except Exception as exc:
            outcome.grader_failure = f"no kernel would start: {type(exc).__name__}: {exc}"[:300]
            raise
        process = getattr(km, "_rnncourse_process", None)
        try:
            nb, resources = super().preprocess(nb, resources, km=km)
        except DeadKernelError:
            outcome.died = exit_reason(process)
            self._mark_not_run(nb, outcome.died, died=True)
        except CellTimeoutError:
            outcome.died = ""
            outcome.timeouts.append(label(nb, self._running))
            self._mark_not_run(nb, "the kernel did not stop after the time limit", died=False)
        except Exception as exc:  # e.g. a kernel that never became ready: the grader's problem
            outcome.grader_failure = f"running the notebook failed: {type(exc).__name__}: {exc}"
            outcome.grader_failure = outcome.grader_failure[:300]
            raise
        finally:
            try:
                self._cleanup_kernel()
            except Exception:
                pass
            if km is not None and POOL is not None:
                POOL.discard(km)
        self._finish(nb, outcome, nonce, first, last)
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        self._running = index
        return super().preprocess_cell(cell, resources, index)

    def output(self, outs, msg, display_id, cell_index):
        """Keep a cell's output under :data:`MAX_CELL_OUTPUT` characters as it arrives.

        The first output of each kind is always kept (a stderr stream or an error decides the
        grade), so grading is unchanged; only the flood is dropped.
        """
        content = msg.get("content", {})
        size = len(content.get("text", "")) + sum(
            len(str(v)) for v in (content.get("data") or {}).values()
        )
        used = self._output_used.get(cell_index, 0)
        self._output_used[cell_index] = used + size
        if used + size > MAX_CELL_OUTPUT and msg["msg_type"] in ("stream", "display_data"):
            kind = content.get("name", msg["msg_type"])
            present = any(o.get("name", o.get("output_type")) == kind for o in outs)
            if present:
                if not any(o.get("rnncourse_truncated") for o in outs):
                    note = nbformat.v4.new_output(
                        "stream", name="stdout", text="\n... output truncated by the grader ...\n"
                    )
                    note["rnncourse_truncated"] = True
                    outs.append(note)
                return None
            if "text" in content:
                room = max(MAX_CELL_OUTPUT - used, 1000)
                content["text"] = content["text"][:room]
        return super().output(outs, msg, display_id, cell_index)

    def _mark_not_run(self, nb, why: str, *, died: bool) -> None:
        """The cell that was running and every code cell after it get an error output."""
        for index, cell in enumerate(nb.cells):
            if index < self._running or cell.cell_type != "code" or not cell.source.strip():
                continue
            if index == self._running:
                ename = "KernelDied" if died else "CellTimeoutError"
                text = f"{why} while this cell ran"
            else:
                ename, text = "NotRun", "the kernel had stopped in an earlier cell"
                cell.outputs = []
                cell.execution_count = None
            cell.setdefault("outputs", []).append(
                nbformat.v4.new_output(
                    "error", ename=ename, evalue=text, traceback=[f"{ename}: {text}"]
                )
            )

    def _finish(self, nb, outcome: Outcome, nonce: str, first, last) -> None:
        """Read the probe, take the grader's two cells out, renumber, and look for limits hit."""
        report = tamper.read_report(last.get("outputs", []), nonce)
        ran = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
        if report is None:
            if not outcome.died and not outcome.timeouts:
                outcome.flags.append(
                    "the grader's integrity probe did not report (print, sys.stdout or the "
                    "probe itself was changed)"
                )
        else:
            for text, n in report:
                where = ""
                if n is not None and 1 <= n - 1 <= len(ran) - 2:
                    where = f" (after {label(nb, nb.cells.index(ran[n - 1]))})"
                outcome.flags.append(f"{text}{where}")
        base_errors = [o for o in first.get("outputs", []) if o.get("output_type") == "error"]
        if base_errors:
            outcome.error = f"the grader's set-up cell failed: {base_errors[0].get('ename')}"
        nb.cells = [c for c in nb.cells if GRADER_CELL not in c.metadata]
        for cell in nb.cells:
            if cell.cell_type == "code" and cell.get("execution_count"):
                cell.execution_count -= 1
            for output in cell.get("outputs", []):
                output.pop("rnncourse_truncated", None)
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            for output in cell.outputs:
                if output.get("output_type") != "error":
                    continue
                if output.get("ename") == "CellTimeoutError":
                    where = label(nb, index)
                    if where not in outcome.timeouts:
                        outcome.timeouts.append(where)
                if "MemoryError" in f"{output.get('ename')} {output.get('evalue')}":
                    outcome.memory.append(label(nb, index))


def label(nb, index: int) -> str:
    """``cell 5 (ewma)``: a cell's position and, if it has one, its nbgrader name."""
    if not 0 <= index < len(nb.cells):
        return f"cell {index}"
    cell = nb.cells[index]
    offset = 1 if nb.cells and GRADER_CELL in nb.cells[0].metadata else 0
    gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return f"cell {index - offset}" + (f" ({gid})" if gid else "")


def student_cells(nb) -> list[tuple[str, str]]:
    """(label, source) of the code cells the student controls.

    After nbgrader's sanitising, a locked cell that still carries its ``grade_id`` holds exactly
    the instructor's source; every other code cell is the student's, except unchanged copies of
    the instructor's cells (a duplicated test cell).
    """
    out = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if (utils.is_locked(cell) and meta.get("grade_id")) or cell.source.rstrip() in INSTRUCTOR:
            continue
        out.append((label(nb, index), cell.source))
    return out


# --------------------------------------------------------------------------- sanitising, repaired


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
        cell, resources = super().preprocess_cell(cell, resources, index)
        meta = cell.get("metadata", {}).get("nbgrader", None)
        if meta is not None and "grade_id" not in meta:
            del cell.metadata["nbgrader"]
        return cell, resources

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


# --------------------------------------------------------------------------- what nbgrader said

_REPAIRS = [
    (re.compile(r"Attribute 'cell_type' for cell (\S+) has changed"), "cell type of {} restored"),
    (re.compile(r"Attribute 'locked' for cell (\S+) has changed"), "lock of cell {} restored"),
    (re.compile(r"Attribute 'points' for cell (\S+) has changed"), "points of cell {} restored"),
    (re.compile(r"Missing grade cell (\S+) encountered"), "deleted cell {} restored"),
    (
        re.compile(r"Cell with id '(\S+)' exists multiple times"),
        "cell {} duplicated (the last copy is graded)",
    ),
    (re.compile(r"Cell '(\S+)' does not exist in the database"), "unknown cell id {} ignored"),
]


class _Capture(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def repairs(records) -> list[str]:
    """What nbgrader's sanitising repaired, from its log warnings, in words."""
    out = []
    for record in records:
        message = record.getMessage()
        for pattern, text in _REPAIRS:
            m = pattern.search(message)
            if m and text.format(m.group(1)) not in out:
                out.append(text.format(m.group(1)))
    return out


def edited_locked_cells(submitted, released) -> list[str]:
    """Locked cells whose source the student changed (nbgrader puts the original back).

    nbgrader logs a checksum change for every test cell with hidden tests (that is how the hidden
    tests come back), so edits are found by comparing with the released student version instead.
    """
    original = {
        c.metadata.nbgrader["grade_id"]: c.source.rstrip()
        for c in released.cells
        if utils.is_locked(c) and c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    }
    out = []
    for cell in submitted.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in original and cell.get("source", "").rstrip() != original[gid]:
            text = f"edited locked cell {gid} restored"
            if text not in out:
                out.append(text)
    return out


def failure(records) -> str:
    """The last error nbgrader logged, as one line."""
    lines = []
    for record in records:
        if record.levelno >= logging.ERROR:
            lines += [ln for ln in record.getMessage().splitlines() if ln.strip()]
    interesting = [
        ln
        for ln in lines
        if not ln.startswith(("Traceback", "  ", "There was an error", "Please see"))
    ]
    return (interesting or lines or ["nbgrader could not grade the notebook"])[-1].strip()[:300]


# --------------------------------------------------------------------------- the worker


def load_config(setup: Setup):
    """The course's ``nbgrader_config.py`` (as copied into the course folder) plus our settings."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import (
        AssignLatePenalties,
        CheckCellMetadata,
        ClearOutput,
        IgnorePattern,
        LimitOutput,
        OverwriteKernelspec,
        SaveAutoGrades,
    )
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("nbgrader_config.py", path=setup.root).load_config()
    config.CourseDirectory.root = setup.root
    config.CourseDirectory.db_url = f"sqlite:///{Path(setup.scratch) / 'gradebook.db'}"
    config.CourseDirectory.assignment_id = setup.assignment
    config.Execute.timeout = setup.timeout
    # nbgrader 0.9.6's autograde steps, with three of them replaced by the classes above
    config.Autograde.sanitize_preprocessors = [
        ClearOutput,
        DeduplicateIdsSafely,
        OverwriteKernelspec,
        OverwriteCellsSafely,
        CheckCellMetadata,
    ]
    config.Autograde.autograde_preprocessors = [
        GuardedExecute,
        IgnorePattern,
        ClearMetadataPreprocessor,
        LimitOutput,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    return config


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


class Worker:
    def __init__(self, setup: Setup, notify=None):
        global POOL
        self.setup = setup
        share_database_engines()
        os.environ.clear()
        os.environ.update(setup.env)
        scratch = Path(setup.scratch)
        scratch.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(setup.gradebook, scratch / "gradebook.db")
        self.config = load_config(setup)
        self._feedback = None
        # nbgrader's update_or_create_submission makes SQLAlchemy warn about autoflush, nbformat
        # warns about duplicate cell ids it repairs: noise on the instructor's terminal
        warnings.simplefilter("ignore")
        self.capture = _Capture()
        log = logging.getLogger("traitlets")
        log.handlers = [self.capture]
        log.setLevel(logging.WARNING)
        log.propagate = False
        POOL = KernelPool(setup.kernel_name, setup.memory_bytes, scratch / "k", notify)
        POOL.spare = POOL._start()  # boots while the rest is set up
        for step in ("source", "exercises"):
            for path in (Path(setup.root) / step / setup.assignment).glob("*.ipynb"):
                nb = nbformat.read(path, as_version=4)
                INSTRUCTOR.update(c.source.rstrip() for c in nb.cells if utils.is_locked(c))

    def grade(self, student: str) -> Outcome:
        global CURRENT
        from nbgrader.converters import Autograde
        from nbgrader.converters.base import NbGraderException
        from nbgrader.coursedir import CourseDirectory

        start = time.perf_counter()
        outcome = CURRENT = Outcome(student)
        self.capture.records = []
        coursedir = CourseDirectory(config=self.config)
        coursedir.student_id = student
        root = Path(self.setup.root)
        for step in ("autograded", "feedback"):
            folder = root / step / student / self.setup.assignment
            if folder.exists():
                rmtree(folder)
        try:
            submitted = root / "submitted" / student / self.setup.assignment
            released = root / "exercises" / self.setup.assignment
            for path in sorted(submitted.glob("*.ipynb")):
                if (released / path.name).exists():
                    outcome.notes += edited_locked_cells(
                        nbformat.read(path, as_version=4),
                        nbformat.read(released / path.name, as_version=4),
                    )
        except Exception:  # an unreadable notebook is nbgrader's to reject, below
            pass
        try:
            converter = Autograde(coursedir=coursedir, config=self.config)
            converter.force = True
            converter.start()
            outcome.graded = True
        except NbGraderException:
            outcome.error = failure(self.capture.records)
        except Exception as exc:  # nbgrader itself broke on this notebook
            outcome.error = f"{type(exc).__name__}: {exc}"[:300]
        finally:
            CURRENT = None
        outcome.notes += repairs(self.capture.records)
        if outcome.graded:
            self.capture.records = []
            try:
                self.feedback(student)
                outcome.feedback = True
            except Exception:
                outcome.notes.append(
                    "feedback could not be generated: " + failure(self.capture.records)
                )
        outcome.seconds = time.perf_counter() - start
        return outcome

    def feedback(self, student: str) -> None:
        """``nbgrader generate_feedback`` for one student, with one HTML exporter for all of them.

        ``GenerateFeedback.start()`` builds a new exporter (and compiles its templates) on every
        call; this does the same steps (``BaseConverter.start``) but keeps the exporter, a
        :class:`~rnncourse.grading.feedback.FeedbackExporter` with nbgrader's feedback template.
        """
        from nbconvert.writers import FilesWriter
        from nbgrader.converters import GenerateFeedback
        from nbgrader.coursedir import CourseDirectory

        if self._feedback is None:
            coursedir = CourseDirectory(config=self.config)
            converter = GenerateFeedback(coursedir=coursedir, config=self.config)
            converter.writer = FilesWriter(parent=converter, config=converter.config)
            converter.exporter = FeedbackExporter(parent=converter, config=converter.config)
            for pp in converter.preprocessors:
                converter.exporter.register_preprocessor(pp)
            self._feedback = converter
        converter = self._feedback
        converter.coursedir.student_id = student
        converter.init_notebooks()
        here = os.getcwd()
        os.chdir(converter.coursedir.root)
        try:
            converter.convert_notebooks()
        finally:
            os.chdir(here)

    def close(self):
        if POOL is not None:
            POOL.close()


def rmtree(path: Path) -> None:
    """Remove a folder even if nbgrader made its files read-only."""

    def fix(func, target, _exc):
        os.chmod(target, 0o700 if os.path.isdir(target) else 0o600)
        func(target)

    shutil.rmtree(path, onexc=fix) if sys.version_info >= (3, 12) else shutil.rmtree(
        path, onerror=lambda f, p, e: fix(f, p, e)
    )


def main(conn, number: int = 1) -> None:
    """Entry point of a worker process.

    Importing this module (which a spawned process does before calling ``main``) loads nbgrader
    and nbconvert; the first message is the :class:`Setup`, then student ids until ``None``.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the batch's to handle
    import nbconvert.exporters  # noqa: F401  (load the heavy parts while the batch sets up)
    import nbgrader.converters  # noqa: F401

    try:
        setup = conn.recv()
        if setup is None:
            return
        setup = replace(setup, scratch=str(Path(setup.scratch) / f"w{number}"))
        worker = Worker(setup, notify=lambda pid: conn.send(("kernel", pid)))
    except (EOFError, KeyboardInterrupt):
        return
    except Exception:
        conn.send(("failed", traceback.format_exc()))
        return
    conn.send(("ready", os.getpid()))
    try:
        while True:
            student = conn.recv()
            if student is None:
                break
            try:
                outcome = worker.grade(student)
            except Exception:
                outcome = Outcome(
                    student, error="the grader failed: " + traceback.format_exc()[-300:]
                )
            conn.send(("result", asdict(outcome)))
    except (EOFError, KeyboardInterrupt):
        pass
    finally:
        worker.close()
