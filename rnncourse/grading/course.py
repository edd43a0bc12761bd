"""Run nbgrader on the course's assignments inside a throwaway course directory.

`make release`, the tests and the batch grader all need the same thing: a folder laid out the way
nbgrader expects (``source/``, ``submitted/``, ``autograded/``, ``feedback/``, ``gradebook.db``),
holding a copy of this course's ``nbgrader_config.py``, with nbgrader run as a subprocess that sees
neither the user's home directory nor their Jupyter settings. :class:`Course` is that folder.

Two facts about nbgrader shape this module:

* ``nbgrader autograde`` exits with status 0 even when every test fails or times out, so results
  are read from the gradebook (:meth:`Course.results`), never from the console.
* nbgrader creates a gradebook by shelling out to ``alembic``, so the environment's scripts folder
  (``.venv/bin``) must be on ``PATH``; :meth:`Course.env` puts it first.

``nbgrader autograde`` (the command) runs student code unsandboxed in a Jupyter kernel: tests use
it on the course's own corpora. Grading a class goes through :mod:`rnncourse.grading.batch`,
which separates and confines it.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = Path(sysconfig.get_path("scripts"))


class NbgraderError(RuntimeError):
    """An nbgrader command exited with an error (its output is in the message)."""


@dataclass
class Result:
    """One student's result for one assignment, read from the gradebook.

    ``score`` and ``max_score`` count the autograded cells (code test cells) only. ``cells`` maps
    every graded cell's ``grade_id`` to ``(score, max_score)``; ``manual`` names the cells an
    instructor grades, whose score stays ``None`` until someone grades them (nbgrader gives an
    untouched written answer 0 at once).
    """

    student: str
    score: float
    max_score: float
    cells: dict[str, tuple[float | None, float]] = field(default_factory=dict)
    manual: tuple[str, ...] = ()

    def lost(self) -> list[str]:
        """The autograded cells that did not get full marks, in notebook order."""
        return [
            gid
            for gid, (score, top) in self.cells.items()
            if gid not in self.manual and score is not None and score < top
        ]


class Course:
    """A temporary nbgrader course directory at ``root`` that uses this course's configuration.

    ``extra_config`` lines are appended to the copied ``nbgrader_config.py`` (for example
    ``c.Execute.timeout = 5`` or an exchange directory).
    """

    def __init__(self, root: Path, *, repo: Path = REPO, extra_config: tuple[str, ...] = ()):
        self.root = Path(root)
        self.repo = Path(repo)
        self.home = self.root / ".home"
        self.root.mkdir(parents=True, exist_ok=True)
        self.home.mkdir(exist_ok=True)
        config = (self.repo / "nbgrader_config.py").read_text(encoding="utf-8")
        if extra_config:
            config += "\n# Added for this temporary course directory:\n" + "\n".join(extra_config)
        (self.root / "nbgrader_config.py").write_text(config + "\n", encoding="utf-8")

    # ------------------------------------------------------------------ running nbgrader

    def env(self) -> dict[str, str]:
        """The environment nbgrader runs in: isolated HOME and Jupyter folders, scripts on PATH."""
        env = dict(os.environ)
        for key in ("JUPYTER_PATH", "JUPYTER_CONFIG_PATH", "JUPYTER_PREFER_ENV_PATH"):
            env.pop(key, None)
        env.update(
            HOME=str(self.home),
            USERPROFILE=str(self.home),
            JUPYTER_CONFIG_DIR=str(self.home / ".jupyter"),
            JUPYTER_DATA_DIR=str(self.home / ".local" / "share" / "jupyter"),
            JUPYTER_RUNTIME_DIR=str(self.home / ".local" / "share" / "jupyter" / "runtime"),
            IPYTHONDIR=str(self.home / ".ipython"),
            MPLBACKEND="Agg",
            PYTHONDONTWRITEBYTECODE="1",
            # One BLAS thread per kernel, as in the sandbox: graders run kernels side by side,
            # and threaded products stall each other on a machine with few cores.
            OPENBLAS_NUM_THREADS="1",
            OMP_NUM_THREADS="1",
            MKL_NUM_THREADS="1",
        )
        env["PATH"] = str(SCRIPTS) + os.pathsep + env.get("PATH", "")
        return env

    def nbgrader(self, *args: str) -> subprocess.CompletedProcess:
        """Run ``nbgrader ARGS`` in the course directory; raise :class:`NbgraderError` on failure."""
        proc = subprocess.run(
            [sys.executable, "-m", "nbgrader", *args],
            cwd=self.root,
            env=self.env(),
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0:
            raise NbgraderError(
                f"nbgrader {' '.join(args)} exited with {proc.returncode}:\n{proc.stdout}{proc.stderr}"
            )
        return proc

    # ------------------------------------------------------------------ the assignment lifecycle

    def add_source(self, assignment: str, source: Path | None = None) -> Path:
        """Copy ``source/<assignment>/`` (from the repository unless ``source`` is given) in."""
        source = Path(source) if source else self.repo / "source" / assignment
        target = self.root / "source" / assignment
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        return target

    def generate_assignment(self, assignment: str, *, in_process: bool = False) -> Path:
        """Generate the student version; return its folder (``exercises/<assignment>/``).

        ``in_process=True`` runs nbgrader's own ``GenerateAssignment`` converter in this process
        with the course's configuration, instead of ``nbgrader generate_assignment`` in a new
        one: the same files and gradebook, seconds sooner (no interpreter start-up and no
        ``alembic`` subprocess). The batch grader uses it; everything else keeps the command.
        """
        if not (self.root / "source" / assignment).exists():
            self.add_source(assignment)
        if in_process:
            self._generate_in_process(assignment)
        else:
            self.nbgrader("generate_assignment", assignment, "--force")
        return self.release_dir(assignment)

    def _generate_in_process(self, assignment: str) -> None:
        from nbgrader.converters import GenerateAssignment
        from nbgrader.converters.base import NbGraderException
        from nbgrader.coursedir import CourseDirectory
        from traitlets.config.loader import PyFileConfigLoader

        from rnncourse.grading.internals import new_gradebook_in_process

        config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
        config.CourseDirectory.root = str(self.root)
        config.CourseDirectory.assignment_id = assignment
        converter = GenerateAssignment(coursedir=CourseDirectory(config=config), config=config)
        converter.force = True
        log = _Collect()
        converter.log.addHandler(log)
        try:
            with new_gradebook_in_process():
                converter.start()
        except NbGraderException:
            raise NbgraderError(
                f"generating {assignment} failed:\n" + "\n".join(log.lines[-20:])
            ) from None
        finally:
            converter.log.removeHandler(log)

    def release_dir(self, assignment: str) -> Path:
        return self.root / "exercises" / assignment

    def submit(self, assignment: str, student: str, notebooks: dict[str, nbformat.NotebookNode]):
        """Place a student's notebooks (name without ``.ipynb`` -> notebook) in ``submitted/``."""
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        for name, nb in notebooks.items():
            nbformat.write(nb, folder / f"{name}.ipynb")
        return folder

    def autograde(self, assignment: str, student: str | None = None) -> subprocess.CompletedProcess:
        """Autograde every submission (or one student's); results go to the gradebook."""
        args = ["autograde", assignment, "--force"]
        if student:
            args += ["--student", student]
        return self.nbgrader(*args)

    def generate_feedback(self, assignment: str, student: str | None = None) -> Path:
        """Write feedback HTML; return the ``feedback/`` folder."""
        args = ["generate_feedback", assignment, "--force"]
        if student:
            args += ["--student", student]
        self.nbgrader(*args)
        return self.root / "feedback"

    def feedback_html(self, assignment: str, student: str, notebook: str | None = None) -> str:
        folder = self.root / "feedback" / student / assignment
        return (folder / f"{notebook or assignment}.html").read_text(encoding="utf-8")

    def autograded_notebook(self, assignment, student, notebook=None) -> nbformat.NotebookNode:
        path = self.root / "autograded" / student / assignment / f"{notebook or assignment}.ipynb"
        return nbformat.read(path, as_version=4)

    # ------------------------------------------------------------------ reading results

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.root / 'gradebook.db'}"

    def results(self, assignment: str) -> dict[str, Result]:
        """Every autograded submission of ``assignment``: student id -> :class:`Result`."""
        from nbgrader.api import Gradebook  # imported late: it is slow and needs SQLAlchemy

        if not (self.root / "gradebook.db").exists():
            raise NbgraderError("no gradebook yet: generate and autograde the assignment first")
        out = {}
        with Gradebook(self.db_url) as gb:
            for submission in gb.assignment_submissions(assignment):
                result = Result(submission.student.id, 0.0, 0.0)
                manual = []
                for nb in submission.notebooks:
                    answers = {cell.name for cell in nb.notebook.solution_cells}
                    grades = sorted(nb.grades, key=lambda g: _cell_position(nb, g.name))
                    for grade in grades:
                        top = float(grade.max_score)
                        if grade.cell_type == "code" and grade.name not in answers:
                            score = float(grade.auto_score or 0.0)
                            result.score += score
                            result.max_score += top
                        else:
                            manual.append(grade.name)
                            score = (
                                grade.manual_score
                                if grade.manual_score is not None
                                else grade.auto_score
                            )
                            score = None if score is None else float(score)
                        result.cells[grade.name] = (score, top)
                result.manual = tuple(manual)
                out[result.student] = result
        return out


def alembic_head() -> str:
    """The revision nbgrader stamps on a new gradebook (see :mod:`rnncourse.grading.internals`)."""
    from rnncourse.grading.internals import alembic_head as head

    return head()


class _Collect(logging.Handler):
    """Keeps the messages of a logger (to explain a failure)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _cell_position(submitted_notebook, name: str) -> int:
    """Where the cell ``name`` sits in the source notebook (for reporting cells in order)."""
    names = [cell.name for cell in submitted_notebook.notebook.source_cells]
    return names.index(name) if name in names else len(names)
