"""A temporary nbgrader course directory: isolated from the user's setup, reports errors, and its
faster in-process paths (generation, shared gradebook engines) give what nbgrader gives."""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

import pytest
from sqlalchemy import text

from conftest import REPO
from rnncourse.grading.course import Course, NbgraderError, alembic_head
from rnncourse.grading.internals import share_database_engines


def test_course_copies_the_config_and_appends_extra_settings(tmp_path):
    course = Course(tmp_path, extra_config=("c.Execute.timeout = 5",))
    config = (tmp_path / "nbgrader_config.py").read_text()
    assert config.startswith((REPO / "nbgrader_config.py").read_text())
    assert config.rstrip().endswith("c.Execute.timeout = 5")
    assert course.db_url == f"sqlite:///{tmp_path / 'gradebook.db'}"


def test_nbgrader_sees_an_isolated_home_and_the_environment_scripts_first(tmp_path):
    env = Course(tmp_path).env()
    assert Path(env["HOME"]).is_relative_to(tmp_path)
    for key in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR"):
        assert Path(env[key]).is_relative_to(tmp_path)
    first = env["PATH"].split(os.pathsep)[0]
    assert first == sysconfig.get_path("scripts") and (Path(first) / "alembic").exists()


def test_results_need_a_gradebook(tmp_path):
    with pytest.raises(NbgraderError, match="no gradebook yet"):
        Course(tmp_path).results("ex1-forward")


@pytest.mark.slow
def test_a_failing_nbgrader_command_raises_with_its_output(tmp_path):
    with pytest.raises(NbgraderError, match="No notebooks were matched"):
        Course(tmp_path).nbgrader("generate_assignment", "no-such-assignment")


def test_alembic_head_is_the_version_nbgrader_asks_alembic_for(monkeypatch):
    import nbgrader.api

    monkeypatch.setenv("PATH", sysconfig.get_path("scripts") + os.pathsep + os.environ["PATH"])
    assert alembic_head() == nbgrader.api.get_alembic_version()


def _gradebook_contents(course: Course, assignment: str) -> dict:
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        nb = gb.find_notebook(assignment, assignment)
        version = gb.db.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        return {
            "alembic": version,
            "grade": sorted((c.name, c.max_score, c.cell_type) for c in nb.grade_cells),
            "solution": sorted(c.name for c in nb.solution_cells),
            "task": sorted((c.name, c.max_score) for c in nb.task_cells),
            "source": sorted(
                (c.name, c.cell_type, c.locked, c.checksum, c.source) for c in nb.source_cells
            ),  # fmt: skip
        }


@pytest.mark.slow
def test_generating_in_process_gives_what_the_nbgrader_command_gives(tmp_path):
    command, inside = Course(tmp_path / "command"), Course(tmp_path / "inside")
    a = command.generate_assignment("ex1-forward") / "ex1-forward.ipynb"
    b = inside.generate_assignment("ex1-forward", in_process=True) / "ex1-forward.ipynb"
    assert a.read_bytes() == b.read_bytes()
    assert _gradebook_contents(command, "ex1-forward") == _gradebook_contents(inside, "ex1-forward")


def test_generating_in_process_reports_nbgrader_s_error(tmp_path):
    (tmp_path / "source" / "empty").mkdir(parents=True)
    with pytest.raises(NbgraderError, match="No notebooks were matched"):
        Course(tmp_path).generate_assignment("empty", in_process=True)


def test_grading_workers_share_one_engine_per_gradebook(tmp_path, monkeypatch):
    import nbgrader.api
    from nbgrader.api import Gradebook

    monkeypatch.setattr(nbgrader.api, "create_engine", nbgrader.api.create_engine)  # restored
    monkeypatch.setattr(nbgrader.api, "get_alembic_version", alembic_head)
    share_database_engines()
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as first:
        first.add_student("ada")
        engine = first.engine
    with Gradebook(url) as second:  # the first one closed (and disposed of its connections)
        assert second.engine is engine
        with Gradebook(url) as third:  # open at the same time, as nbgrader's steps are
            third.add_student("grace")
        assert sorted(s.id for s in second.students) == ["ada", "grace"]
    assert Gradebook(f"sqlite:///{tmp_path / 'other.db'}").engine is not engine
