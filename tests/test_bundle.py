"""The student bundle holds the course a student needs and no answer, hidden test or gradebook."""

from __future__ import annotations

import shutil
import zipfile

import nbformat
import pytest

from conftest import REPO
from rnncourse import bundle, notebooks


@pytest.fixture(scope="module")
def names(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist") / "student.zip"
    built = bundle.build(out)
    with zipfile.ZipFile(out) as zf:
        assert zf.namelist() == built
        texts = {n: zf.read(n).decode("utf-8", "replace") for n in built}
    return texts


def test_bundle_has_every_lecture_exercise_and_setup_file(names):
    for lec in notebooks.lectures(REPO):
        assert f"rnn-course/lectures/{lec.path.name}" in names
    for exercise in sorted((REPO / "exercises").glob("*/*.ipynb")):
        assert f"rnn-course/{exercise.relative_to(REPO).as_posix()}" in names
    for name in ("README.md", "Makefile", "requirements.txt", "pyproject.toml", "environment.yml"):
        assert f"rnn-course/{name}" in names
    assert "rnn-course/rnncourse/data.py" in names


def test_bundle_has_no_solutions_hidden_tests_or_gradebook(names):
    for name, text in names.items():
        parts = name.split("/")
        assert parts[1] not in ("source", "solutions", "tests", ".ci"), name
        assert parts[-1] != "gradebook.db" and "__pycache__" not in parts, name
        if name.endswith(".ipynb"):
            assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text, name


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
