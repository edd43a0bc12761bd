"""The student bundle holds the course a student needs and no answer, hidden test or gradebook;
its README and Makefile are written for the bundle, and every command they offer works there."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import nbformat
import pytest

from conftest import REPO
from rnncourse import bundle, notebooks


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The bundle's files as text, and the folder it unpacks into."""
    out = tmp_path_factory.mktemp("dist") / "student.zip"
    names = bundle.build(out)
    unpacked = tmp_path_factory.mktemp("student")
    with zipfile.ZipFile(out) as zf:
        assert zf.namelist() == names
        texts = {n: zf.read(n).decode("utf-8", "replace") for n in names}
        zf.extractall(unpacked)
    return texts, unpacked / "rnn-course"


@pytest.fixture(scope="module")
def names(built):
    return built[0]


def make(folder, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "--no-print-directory", *args], cwd=folder, capture_output=True, text=True
    )


def test_bundle_has_every_lecture_exercise_and_setup_file(names):
    for lec in notebooks.lectures(REPO):
        assert f"rnn-course/lectures/{lec.path.name}" in names
    for exercise in sorted((REPO / "exercises").glob("*/*.ipynb")):
        assert f"rnn-course/{exercise.relative_to(REPO).as_posix()}" in names
    for name in ("README.md", "Makefile", "requirements.txt", "pyproject.toml", "environment.yml"):
        assert f"rnn-course/{name}" in names
    assert "rnn-course/rnncourse/data.py" in names
    assert "rnn-course/jupyter-config/student/labconfig/page_config.json" in names


def test_bundle_has_no_solutions_hidden_tests_or_gradebook(names):
    for name, text in names.items():
        parts = name.split("/")
        assert parts[1] not in ("source", "solutions", "tests", ".ci"), name
        assert parts[-1] != "gradebook.db" and "__pycache__" not in parts, name
        if name.endswith(".ipynb"):
            assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text, name


def test_bundle_makefile_offers_only_commands_that_work_in_the_bundle(built):
    _, folder = built
    listed = re.findall(r"^  make (\S+)", make(folder, "help").stdout, flags=re.M)
    assert listed == ["help", "setup", "lab", "clean"]
    for target in listed:
        dry_run = make(folder, "-n", target)
        assert dry_run.returncode == 0, f"make -n {target}: {dry_run.stderr}"
    assert make(folder, "-n", "test").returncode != 0  # the course's test suite is not shipped


def test_bundle_lab_starts_jupyterlab_on_files_the_bundle_has(built):
    _, folder = built
    command = make(folder, "-n", "lab").stdout.strip().splitlines()[-1]
    assert "jupyter lab" in command
    config = re.search(r'JUPYTER_CONFIG_PATH="([^$"]+)', command).group(1).split(":")
    assert [p.removeprefix(f"{folder}/") for p in config] == [
        "jupyter-config/student",
        "jupyter-config/course",
    ]
    assert all((folder / p).is_dir() for p in config)
    first = re.search(r"/lab/tree/(\S+\.ipynb)", command).group(1)
    assert (folder / first).is_file() and first.startswith("lectures/01-")


def test_bundle_makefile_rules_are_the_course_rules_word_for_word(built):
    _, folder = built
    course = (REPO / "Makefile").read_text()
    student = (folder / "Makefile").read_text()
    for rule in re.findall(
        r"^(?:help|setup|lab|clean|\$\(PY\)|\$\(BASE_STAMP\)):.*(?:\n\t.*)*", student, re.M
    ):
        assert rule in course


def test_student_makefile_refuses_a_course_makefile_without_a_student_rule():
    course = (REPO / "Makefile").read_text()
    without_lab = re.sub(r"^lab:.*(\n\t.*)*", "", course, flags=re.M)
    with pytest.raises(ValueError, match="no rule for lab"):
        bundle.student_makefile(without_lab)


def test_bundle_readme_speaks_to_a_student_holding_the_bundle(names):
    readme = names["rnn-course/README.md"]
    assert "make lab" in readme and "## Contents" in readme
    for word in ("clone", "solutions/", "make test", "source/"):
        assert word not in readme, f"the bundle's README mentions {word!r}"
    for lec in notebooks.lectures(REPO):
        link = f"(lectures/{lec.path.name})"
        assert link in readme and f"rnn-course/lectures/{lec.path.name}" in names


def test_every_make_command_the_readme_names_exists_in_the_bundle(built):
    texts, folder = built
    offered = set(re.findall(r"^  make (\S+)", make(folder, "help").stdout, flags=re.M))
    named = set(re.findall(r"`make (\S+?)`", texts["rnn-course/README.md"]))
    assert named and named <= offered


def test_bundle_refuses_a_student_notebook_with_a_leaked_answer(tmp_path):
    root = tmp_path / "course"
    (root / "exercises" / "exA").mkdir(parents=True)
    shutil.copytree(REPO / "rnncourse", root / "rnncourse")
    (root / "lectures").mkdir()
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")]
    )
    notebooks.write(nb, root / "exercises" / "exA" / "exA.ipynb")
    with pytest.raises(bundle.LeakError, match="exercises/exA/exA.ipynb"):
        bundle.build(tmp_path / "out.zip", root)
    assert not (tmp_path / "out.zip").exists()
