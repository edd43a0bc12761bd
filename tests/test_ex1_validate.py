"""What the student's Validate button reports on exercise 1: one line per part, never test code.

The button's server handler (nbgrader 0.9.6) is driven here as JupyterLab drives it, with the
course's ``nbgrader_config.py`` read from the folder the server runs in.
"""

from __future__ import annotations

import logging
import types

import nbformat
import pytest
from nbgrader.server_extensions.validate_assignment import handlers
from nbgrader.validator import Validator
from nbgrader_course import corpus, solved, with_answers

from conftest import REPO
from rnncourse.grading import validate_button
from rnncourse.grading.validate_button import PartsValidator, summary

ASSIGNMENT = "ex1-forward"
STUDENT = nbformat.read(REPO / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
SOURCE = nbformat.read(REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
PARTS = 5  # autograded parts; Part 6 is written


def press_validate(tmp_path, monkeypatch, nb) -> dict:
    """The JSON the Validate button receives for ``nb``, from nbgrader's own handler."""
    monkeypatch.setattr(handlers, "Validator", Validator)  # restored after the test
    monkeypatch.chdir(REPO)  # JupyterLab runs in the course folder, next to nbgrader_config.py
    nbformat.write(nb, tmp_path / "submission.ipynb")
    server = types.SimpleNamespace(root_dir=str(tmp_path), log=logging.getLogger("validate"))
    server.load_config = types.MethodType(handlers.ValidateAssignmentHandler.load_config, server)
    return handlers.ValidateAssignmentHandler.validate_notebook(server, "submission.ipynb")


def flat(text: str) -> str:
    return " ".join(text.split())


def blocks(summary_text: str) -> list[str]:
    """The summary's parts: each top line with the indented lines under it."""
    out: list[str] = []
    for line in summary_text.splitlines():
        if line.startswith("    ") and out:
            out[-1] += "\n" + line
        else:
            out.append(line)
    return out


def test_the_course_config_points_the_button_at_the_parts_validator(monkeypatch):
    monkeypatch.setattr(handlers, "Validator", Validator)
    monkeypatch.chdir(REPO)
    server = types.SimpleNamespace()
    handlers.ValidateAssignmentHandler.load_config(server)  # runs nbgrader_config.py
    assert handlers.Validator is PartsValidator
    validate_button.install()  # a second Validate press reads the config again: still one swap
    assert handlers.Validator is PartsValidator and PartsValidator.__mro__[1] is Validator


def test_summary_has_one_line_per_part_with_the_message_and_no_traceback():
    nb = solved(STUDENT, SOURCE)
    tests = [c for c in nb.cells if c.cell_type == "code" and c.metadata.nbgrader.get("grade")]
    for cell in tests:
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="All passed.\n")]
    tests[1].outputs = [
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue="rnn_forward fails 1 of 8 visible checks:\n- reverse: the states ...",
            traceback=["Traceback (most recent call last)", "  tests.done()", "AssertionError"],
        )
    ]
    lines = blocks("\n".join(summary(nb)))
    assert len(lines) == PARTS + 1
    assert (
        lines[1].startswith("✗ Part 2 — ")
        and "(4 points):\n    rnn_forward fails 1 of 8" in lines[1]
    )
    assert lines[1].endswith("\n    - reverse: the states ...")  # its checks, indented under it
    assert all(line.startswith("✓ Part ") and line.endswith(": passed") for line in lines[2:5])
    assert lines[5].startswith("· Part 6 — ") and lines[5].endswith("your instructor grades it")
    assert "Traceback" not in "\n".join(lines) and "tests.done()" not in "\n".join(lines)
    assert max(map(len, summary(nb))) <= validate_button.WIDTH  # the dialog does not wrap


@pytest.mark.slow
def test_validate_lists_every_part_in_words_and_passes_a_solved_notebook(tmp_path, monkeypatch):
    two_mistakes = {}
    for name in ("wrong_forward_W_not_transposed", "wrong_count_two_biases"):
        two_mistakes |= next(i for i in corpus("ex1") if i.name == name).cells

    # Solved: nbgrader's own success (no locked cell reported as changed).
    assert press_validate(tmp_path, monkeypatch, solved(STUDENT, SOURCE)) == {
        "success": True,
        "value": {},
    }

    reply = press_validate(
        tmp_path, monkeypatch, with_answers(solved(STUDENT, SOURCE), two_mistakes)
    )
    assert reply["success"] is True and list(reply["value"]) == ["failed"]
    (failed,) = reply["value"]["failed"]  # one entry: the dialog shows it once
    assert failed["source"].startswith(f"2 of {PARTS} graded parts do not pass yet.")
    lines = blocks(failed["raw_error"])
    assert [line[0] for line in lines] == ["✓", "✗", "✓", "✓", "✗", "·"]
    assert "W is applied transposed" in flat(lines[1])  # the likely mistake, from the checks
    assert "expected 16 + 12 + 4 = 32, got 36" in flat(lines[4])
    # Parts 3 and 4 build on rnn_forward: their checks wait for it instead of failing.
    assert lines[2].endswith(": passed") and lines[3].endswith(": passed")
    for test_code in ("checks.Visible", "import numpy", "tests.done()", "Traceback"):
        assert test_code not in failed["raw_error"] + failed["source"]
    assert "&lt;" not in failed["error"] or "<" in failed["raw_error"]  # escaped for the HTML block


@pytest.mark.slow
def test_validate_says_what_to_write_in_an_untouched_notebook(tmp_path, monkeypatch):
    monkeypatch.setattr(handlers, "Validator", PartsValidator)
    path = tmp_path / "untouched.ipynb"
    nbformat.write(STUDENT, path)
    (failed,) = PartsValidator().validate(str(path))["failed"]
    lines = blocks(failed["raw_error"])
    assert failed["source"].startswith(f"{PARTS} of {PARTS} graded parts do not pass yet.")
    assert len(lines) == PARTS + 1
    assert all(line.startswith("✗") for line in lines[:PARTS])
    assert all(flat(line).endswith("write it in the answer cell above") for line in lines[:PARTS])
    assert lines[-1].startswith("· Part 6") and lines[-1].endswith("not answered yet")
