"""The metadata validator passes the exercises' sources and fails a notebook that breaks any rule."""

from __future__ import annotations

import copy

import nbformat
import pytest

from conftest import REPO
from rnncourse.grading import validate

SOURCES = sorted((REPO / "source").glob("*/*.ipynb"))
EX1 = REPO / "source" / "ex1-forward" / "ex1-forward.ipynb"


@pytest.mark.parametrize("path", SOURCES, ids=[p.parent.name for p in SOURCES])
def test_source_notebooks_pass_the_validator(path):
    assert validate.problems(path) == []


@pytest.fixture
def nb():
    return nbformat.read(EX1, as_version=4)


def cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def meta(nb, grade_id):
    return cell(nb, grade_id).metadata.nbgrader


def broken(nb, change) -> list[str]:
    nb = copy.deepcopy(nb)
    change(nb)
    return validate.problems(nb)


def set_meta(target, **values):
    return lambda nb: meta(nb, target).update(values)


def edit_source(grade_id, old, new):
    def change(nb):
        c = cell(nb, grade_id)
        assert old in c.source
        c.source = c.source.replace(old, new, 1)

    return change


def swap_answer_and_tests(nb):
    i = nb.cells.index(cell(nb, "birnn-forward"))
    j = nb.cells.index(cell(nb, "birnn-forward-tests"))
    nb.cells[i], nb.cells[j] = nb.cells[j], nb.cells[i]


def scratch_cell_between(nb):
    i = nb.cells.index(cell(nb, "neuron-as-ewma"))
    nb.cells.insert(i + 1, nbformat.v4.new_code_cell("neuron_as_ewma(0.5, 1.0)"))


# One broken notebook per rule: (what is broken, how, words the report must contain).
RULES = [
    (
        "duplicate grade_id",
        set_meta("birnn-forward-tests", grade_id="neuron-as-ewma-tests"),
        "is also used by cell",
    ),
    ("unreadable grade_id", set_meta("setup", grade_id="Set_Up"), "is not readable"),
    ("test cell not locked", set_meta("neuron-as-ewma-tests", locked=False), "must be locked"),
    ("test cell without points", set_meta("neuron-as-ewma-tests", points=0), "needs points > 0"),
    ("schema version", set_meta("neuron-as-ewma", schema_version=2), "schema_version is 2, not 3"),
    (
        "nbgrader's own schema",
        lambda nb: meta(nb, "neuron-as-ewma").pop("grade"),
        "nbgrader rejects",
    ),
    (
        "solution marker unpaired",
        edit_source("birnn-forward", "    ### END SOLUTION", "    pass"),
        "'BEGIN SOLUTION' without 'END SOLUTION'",
    ),
    (
        "solution region in a test cell",
        edit_source(
            "neuron-as-ewma-tests",
            "import numpy",
            "### BEGIN SOLUTION\n### END SOLUTION\nimport numpy",
        ),
        "has a solution region but is not a solution cell",
    ),
    (
        "answer cell without solution region",
        edit_source("neuron-as-ewma", "### BEGIN SOLUTION", "# solution"),
        "needs a '### BEGIN SOLUTION'",
    ),
    (
        "hidden marker unpaired",
        edit_source("rnn-forward-tests", "### END HIDDEN TESTS", ""),
        "'BEGIN HIDDEN TESTS' without 'END HIDDEN TESTS'",
    ),
    (
        "hidden tests nested",
        edit_source(
            "neuron-as-ewma-tests",
            "### BEGIN HIDDEN TESTS",
            "### BEGIN HIDDEN TESTS\n### BEGIN HIDDEN TESTS",
        ),
        "a nested 'BEGIN HIDDEN TESTS'",
    ),
    (
        "hidden tests outside a test cell",
        edit_source(
            "neuron-as-ewma",
            '    """\n',
            '    """\n    ### BEGIN HIDDEN TESTS\n    ### END HIDDEN TESTS\n',
        ),
        "has hidden tests but is not an autograded test cell",
    ),
    (
        "answer not followed by its test",
        swap_answer_and_tests,
        "must be its test cell 'birnn-forward-tests'",
    ),
    (
        "code between answer and test",
        scratch_cell_between,
        "must be its test cell 'neuron-as-ewma-tests'",
    ),
    (
        "test cell misnamed",
        set_meta("count-parameters-tests", grade_id="counting"),
        "'<answer id>-tests'",
    ),
    (
        "first line not a 'Checks that' comment",
        edit_source("deep-rnn-forward-tests", "# Checks that", "# Tests that"),
        "first line must be a comment '# Checks that",
    ),
    (
        "no visible tests",
        lambda nb: setattr(
            cell(nb, "count-parameters-tests"),
            "source",
            "# Checks that nothing\n### BEGIN HIDDEN TESTS\nassert True\n### END HIDDEN TESTS",
        ),
        "needs visible tests",
    ),
    (
        "written answer without points",
        set_meta("reading-backwards", points=0),
        "written answer needs points > 0",
    ),
    ("written answer locked", set_meta("reading-backwards", locked=True), "must not be locked"),
]


@pytest.mark.parametrize(("change", "words"), [r[1:] for r in RULES], ids=[r[0] for r in RULES])
def test_validator_fails_a_notebook_that_breaks_a_rule(nb, change, words):
    found = broken(nb, change)
    assert any(words in p for p in found), found


def test_validator_needs_at_least_one_test_cell(nb):
    nb.cells = [c for c in nb.cells if not validate.is_test(c) and not validate.is_answer(c)]
    assert "the notebook has no autograded test cell" in validate.problems(nb)


def test_marker_pairing_is_checked_line_by_line():
    assert validate.marker_problems("a\n### BEGIN X\nb\n### END X", ("BEGIN X", "END X")) == []
    assert validate.marker_problems("### END X", ("BEGIN X", "END X")) == [
        "'END X' without 'BEGIN X'"
    ]


def test_command_line_exit_status(nb, tmp_path, capsys):
    assert validate.main([str(EX1)]) == 0
    bad = tmp_path / "bad.ipynb"
    meta(nb, "neuron-as-ewma-tests")["locked"] = False
    nbformat.write(nb, bad)
    assert validate.main([str(bad)]) == 1
    assert "neuron-as-ewma-tests" in capsys.readouterr().out
