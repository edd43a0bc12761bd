"""`make release` output is current; students get no solution and no hidden test, self-learners no hidden test."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from conftest import REPO
from rnncourse.grading import release, validate

ASSIGNMENTS = release.assignments()


def read(kind: str, assignment: str):
    path = REPO / kind / assignment / f"{assignment}.ipynb"
    assert path.exists(), f"{path.relative_to(REPO)} is missing: run `make release`"
    return nbformat.read(path, as_version=4)


def region_lines(nb, markers) -> set[str]:
    """Stripped lines inside ``markers`` regions that appear nowhere outside such regions."""
    inside_lines, outside_lines = set(), set()
    for cell in nb.cells:
        inside = False
        for line in cell.source.splitlines():
            if markers[0] in line or markers[1] in line:
                inside = markers[0] in line
            elif line.strip():
                (inside_lines if inside else outside_lines).add(line.strip())
    return inside_lines - outside_lines


def lines(nb) -> set[str]:
    return {line.strip() for cell in nb.cells for line in cell.source.splitlines()}


def test_the_exercises_are_found():
    assert {"ex1-forward", "ex2-bptt"} <= set(ASSIGNMENTS)


@pytest.mark.slow
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_committed_exercises_and_solutions_match_the_source(assignment):
    assert release.stale(assignment) == [], (
        "run `make release` and commit exercises/ and solutions/"
    )


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_student_version_holds_no_solution_and_no_hidden_test(assignment):
    source, student = read("source", assignment), read("exercises", assignment)
    text = "\n".join(c.source for c in student.cells)
    for marker in (*validate.SOLUTION, *validate.HIDDEN):
        assert marker not in text
    secret = region_lines(source, validate.SOLUTION) | region_lines(source, validate.HIDDEN)
    assert len(secret) > 50 and sorted(secret & lines(student)) == []
    for cell in student.cells:
        if validate.is_answer(cell):
            assert cell.source.rstrip().endswith("raise NotImplementedError()")
        if validate.is_written(cell):
            assert cell.source == "YOUR ANSWER HERE"
    points = [c.metadata.get("nbgrader", {}).get("points") for c in source.cells]
    assert [c.metadata.get("nbgrader", {}).get("points") for c in student.cells] == points
    tests = [c for c in student.cells if validate.is_test(c)]
    assert tests and all(c.metadata.nbgrader["locked"] and not c.metadata.editable for c in tests)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_version_keeps_solutions_and_visible_tests_but_no_hidden_test(assignment):
    source, solution = read("source", assignment), read("solutions", assignment)
    assert sorted(region_lines(source, validate.HIDDEN) & lines(solution)) == []
    assert region_lines(source, validate.SOLUTION) <= lines(solution)
    visible = {
        line.strip()
        for c in source.cells
        if validate.is_test(c)
        for line in validate.visible_part(c.source).splitlines()
    }
    assert visible <= lines(solution)
    text = "\n".join(c.source for c in solution.cells)
    assert not any(marker in text for marker in (*validate.SOLUTION, *validate.HIDDEN))


def test_release_refuses_a_source_with_broken_metadata(tmp_path):
    shutil.copytree(REPO / "source" / "ex1-forward", tmp_path / "source" / "ex1-forward")
    path = tmp_path / "source" / "ex1-forward" / "ex1-forward.ipynb"
    nb = nbformat.read(path, as_version=4)
    next(c for c in nb.cells if validate.is_test(c)).metadata.nbgrader["locked"] = False
    nbformat.write(nb, path)
    with pytest.raises(ValueError, match="must be locked"):
        release.build("ex1-forward", tmp_path, root=tmp_path)
    assert not (tmp_path / "exercises").exists()


@pytest.mark.slow
def test_stale_copies_are_reported_and_a_release_brings_them_up_to_date(tmp_path):
    for folder in ("source", "exercises", "solutions"):
        shutil.copytree(REPO / folder / "ex1-forward", tmp_path / folder / "ex1-forward")
    shutil.copy(REPO / "nbgrader_config.py", tmp_path)
    student = tmp_path / "exercises" / "ex1-forward" / "ex1-forward.ipynb"
    nb = nbformat.read(student, as_version=4)
    nb.cells[0].source += "\nEdited by hand."
    nbformat.write(nb, student)
    (tmp_path / "exercises" / "ex1-forward" / "notes.txt").write_text("left over")
    (tmp_path / "solutions" / "ex1-forward" / "ex1-forward.ipynb").unlink()

    assert release.stale("ex1-forward", root=tmp_path) == [
        "exercises/ex1-forward/ex1-forward.ipynb",
        "exercises/ex1-forward/notes.txt",
        "solutions/ex1-forward/ex1-forward.ipynb",
    ]
    changed = release.build("ex1-forward", tmp_path, root=tmp_path)
    assert len(changed) == 3 and not (tmp_path / "exercises" / "ex1-forward" / "notes.txt").exists()
    assert (
        student.read_text()
        == (REPO / "exercises" / "ex1-forward" / "ex1-forward.ipynb").read_text()
    )
    assert not (tmp_path / "gradebook.db").exists()


def test_command_line_rejects_unknown_assignments_and_options(capsys):
    assert release.main(["no-such-exercise"]) == 2
    assert release.main(["--all"]) == 2
    assert "no source/no-such-exercise" in capsys.readouterr().err
