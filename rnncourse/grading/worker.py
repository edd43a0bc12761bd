"""A long-lived grading process: nbgrader's autograde and feedback, one student at a time.

``nbgrader autograde`` spends seconds starting up before it grades anything, then grades students
one after another in one kernel each. The batch grader (:mod:`rnncourse.grading.batch`) starts a
few of these workers once; each grades many submissions with nbgrader's own converters
(``Autograde``, then ``GenerateFeedback``) and the course's ``nbgrader_config.py``, so scores are
what ``nbgrader autograde`` gives an honest notebook. A worker differs from nbgrader in how it
runs a notebook, for trust, and in a few things, for robustness and speed:

* **two kernels.** The student's cells run in a sandboxed kernel of their own
  (:mod:`rnncourse.grading.sandbox`), booted while the previous student is graded; the test cells
  run in the worker's trusted kernel, which calls the student's functions across
  (:mod:`rnncourse.grading.routing`). No student code runs in the worker or its trusted kernel.
* **its own gradebook.** Each worker grades against a private copy of the course's gradebook;
  the batch process is the only writer of the real one.
* **nbgrader's failures repaired** (:mod:`rnncourse.grading.internals`): duplicated cells, and
  answer cells deleted with their test cells, no longer stop nbgrader from grading a notebook.
* **feedback without tests** (:mod:`rnncourse.grading.feedback`): per test cell, the verdict
  and the failing check's message; never test code, nothing a test printed, no active content.

The batch talks to a worker over a pipe: it sends a :class:`Setup`, then one student id at a time
(the notebook is already in ``submitted/<student>/<assignment>/``), and receives an
:class:`Outcome` as a dict for each.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
import traceback
import warnings
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import nbformat

from rnncourse.grading import cgroups, internals, kernels, repairs, routing, sandbox
from rnncourse.grading.course import REPO


@dataclass
class Setup:
    """What a worker needs, sent once when it starts (everything picklable)."""

    root: str  #: the course directory (the batch's --out)
    assignment: str
    gradebook: str  #: a copy of the gradebook to start the worker's private one from
    scratch: str  #: a private folder for the worker (gradebook, kernel files); never a student's
    timeout: int  #: seconds per cell
    env: dict[str, str]  #: the grader's environment (for its own kernel)
    confinement: sandbox.Confinement = field(
        default_factory=lambda: sandbox.Confinement(False, "not probed")
    )
    limits: sandbox.Limits = field(default_factory=sandbox.Limits)
    files: dict[str, bytes] = field(default_factory=dict)  #: put in every student's folder


@dataclass
class Outcome:
    """What happened to one submission (the batch turns it into a status)."""

    student: str
    graded: bool = False  #: an autograded notebook was written
    died: str = ""  #: why the student's kernel stopped, if it did
    timeouts: list[str] = field(default_factory=list)  #: cells that ran past the time limit
    memory: list[str] = field(default_factory=list)  #: cells that ran out of memory
    flags: list[str] = field(default_factory=list)  #: what an instructor should look at
    notes: list[str] = field(default_factory=list)  #: what nbgrader repaired, in words
    error: str = ""  #: why nbgrader could not grade it at all
    grader_failure: str = (
        ""  #: the grader's own trouble (no kernel would start…), not the student's
    )
    feedback: bool = False
    seconds: float = 0.0


def load_config(setup: Setup):
    """The course's ``nbgrader_config.py`` (as copied into the course folder) plus the worker's."""
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

    from rnncourse.grading.feedback import KeepPlainOutputs

    config = PyFileConfigLoader("nbgrader_config.py", path=setup.root).load_config()
    config.CourseDirectory.root = setup.root
    config.CourseDirectory.db_url = f"sqlite:///{Path(setup.scratch) / 'gradebook.db'}"
    config.CourseDirectory.assignment_id = setup.assignment
    config.Execute.timeout = setup.timeout
    # nbgrader 0.9.6's autograde steps, with three replaced and one added
    config.Autograde.sanitize_preprocessors = [
        ClearOutput,
        internals.DeduplicateIdsSafely,
        OverwriteKernelspec,
        internals.OverwriteCellsSafely,
        CheckCellMetadata,
    ]
    config.Autograde.autograde_preprocessors = [
        routing.RoutedExecute,
        KeepPlainOutputs,
        IgnorePattern,
        ClearMetadataPreprocessor,
        LimitOutput,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    return config


def test_sources(db_url: str, assignment: str) -> dict[str, str]:
    """grade_id -> source of every autograded test cell, as nbgrader restores it from the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        nb = gb.find_notebook(assignment, assignment)
        graded = {c.name for c in nb.grade_cells if c.cell_type == "code"}
        answers = {c.name for c in nb.solution_cells}
        return {c.name: c.source for c in nb.source_cells if c.name in graded - answers}


class Worker:
    """Grades one student after another; keeps its trusted kernel and a sandbox booted ahead."""

    def __init__(self, setup: Setup, number: int = 1, notify=None):
        self.setup = setup
        internals.share_database_engines()
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
        self.capture = repairs.Capture()
        log = logging.getLogger("traitlets")
        log.handlers = [self.capture]
        log.setLevel(logging.WARNING)
        log.propagate = False
        hierarchy = cgroups.find() if setup.confinement.cgroups else None
        kernel_env = {"MPLBACKEND": setup.env.get("MPLBACKEND", "Agg")}

        def start(n: int) -> kernels.Sandbox:
            box = kernels.start_sandbox(
                setup.confinement,
                setup.limits,
                scratch / "k",
                n,
                worker=number,
                hierarchy=hierarchy,
                env=kernel_env,
            )
            if notify:
                notify(box.km.provisioner.pid)
            return box

        self.pool = kernels.SandboxPool(start)
        self.pool.boot()  # the first student's kernel boots while the trusted kernel starts
        self.trusted = kernels.TrustedKernel(
            scratch / "trusted", setup.env, setup.limits.memory_bytes
        )
        if notify:
            notify(self.trusted.km.provisioner.pid)
        self.tests = test_sources(self.config.CourseDirectory.db_url, setup.assignment)

    def grade(self, student: str) -> Outcome:
        from nbgrader.converters import Autograde
        from nbgrader.converters.base import NbGraderException
        from nbgrader.coursedir import CourseDirectory

        start = time.perf_counter()
        outcome = Outcome(student)
        self.capture.records = []
        root, a = Path(self.setup.root), self.setup.assignment
        for step in ("autograded", "feedback"):
            if (root / step / student / a).exists():
                rmtree(root / step / student / a)
        submitted = root / "submitted" / student / a / f"{a}.ipynb"
        outcome.notes += self._edits(submitted, root / "exercises", REPO / "exercises")
        files = dict(self.setup.files)
        if submitted.exists() and submitted.stat().st_size <= self.setup.limits.disk_bytes // 2:
            files[submitted.name] = submitted.read_bytes()
        routing.CONTEXT = routing.Context(self.pool, self.trusted, self.tests, outcome, files)
        coursedir = CourseDirectory(config=self.config)
        coursedir.student_id = student
        try:
            converter = Autograde(coursedir=coursedir, config=self.config)
            converter.force = True
            converter.start()
            outcome.graded = True
        except NbGraderException:
            outcome.error = repairs.failure(self.capture.records)
        except Exception as exc:  # nbgrader itself broke on this notebook
            outcome.error = f"{type(exc).__name__}: {exc}"[:300]
        finally:
            routing.CONTEXT = None
        outcome.notes += repairs.repairs(self.capture.records)
        if outcome.graded:
            self.capture.records = []
            try:
                if self._feedback is None:
                    self._feedback = internals.feedback_converter(self.config)
                internals.write_feedback(self._feedback, student)
                outcome.feedback = True
            except Exception:
                outcome.notes.append(
                    "feedback could not be generated: " + repairs.failure(self.capture.records)
                )
        outcome.seconds = time.perf_counter() - start
        return outcome

    def _edits(self, submitted: Path, *releases: Path) -> list[str]:
        """Locked cells the student edited, compared with the released versions in ``releases``."""
        name = f"{self.setup.assignment}.ipynb"
        try:
            nb = nbformat.read(submitted, as_version=4)
            source = nbformat.read(
                Path(self.setup.root) / "source" / self.setup.assignment / name, as_version=4
            )
            released = [
                nbformat.read(r / self.setup.assignment / name, as_version=4)
                for r in releases
                if (r / self.setup.assignment / name).exists()
            ]
            return repairs.edited_locked_cells(nb, *released) + repairs.kernel_changed(nb, source)
        except Exception:  # an unreadable notebook is nbgrader's to reject
            return []

    def close(self) -> None:
        self.pool.close()
        self.trusted.stop()


def matplotlib_cache(folder: Path) -> dict[str, bytes]:
    """The font list matplotlib builds on its first import (a second of CPU), built once here.

    Every student's kernel gets a copy in its private folder, so a notebook that plots does not
    rebuild it. Empty if matplotlib is not installed.
    """
    folder.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, MPLCONFIGDIR=str(folder))
    try:
        if not any(folder.glob("fontlist-*.json")):  # built once per output folder
            subprocess.run(
                [sys.executable, "-c", "import matplotlib.font_manager"],
                env=env,
                capture_output=True,
                timeout=300,
            )
    except (OSError, subprocess.SubprocessError):
        return {}
    target = Path(sandbox.environment()["MPLCONFIGDIR"]).relative_to(sandbox.HOME)
    return {str(target / p.name): p.read_bytes() for p in folder.glob("fontlist-*.json")}


def rmtree(path: Path) -> None:
    """Remove a folder even if nbgrader made its files read-only."""

    def fix(func, target, _exc):
        os.chmod(target, 0o700 if os.path.isdir(target) else 0o600)
        func(target)

    shutil.rmtree(path, onexc=fix) if sys.version_info >= (3, 12) else shutil.rmtree(
        path, onerror=lambda f, p, e: fix(f, p, e)
    )


def main(conn, number: int = 1, slot: int | None = None) -> None:
    """Entry point of worker ``number`` (its scratch folder), in pool slot ``slot`` (its
    sandboxes' user ids; a worker that replaces a dead one takes its slot).

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
        worker = Worker(setup, slot or number, notify=lambda pid: conn.send(("kernel", pid)))
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
