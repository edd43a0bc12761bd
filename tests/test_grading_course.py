"""A temporary nbgrader course directory is isolated from the user's setup and reports errors."""

from __future__ import annotations

import os
import sysconfig
from pathlib import Path

import pytest

from conftest import REPO
from rnncourse.grading.course import Course, NbgraderError


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
