"""A student's status follows from what happened, by rules that read in order; the CSV and the
summary say it in words."""

from __future__ import annotations

import csv

import pytest

from rnncourse.grading.results import (
    MEANING,
    STATUSES,
    Report,
    Row,
    outcome_notes,
    status_of,
    summary,
    write_csv,
)
from rnncourse.grading.submissions import Entry
from rnncourse.grading.worker import Outcome

RULES = [
    ("a file that is not a notebook", Entry("a", "a.pdf", status="invalid"), None, "invalid"),
    ("a folder without a notebook", Entry("a", "a/", status="missing"), None, "missing"),
    (
        "the grader's own failure",
        None,
        Outcome("a", graded=True, grader_failure="no kernel"),
        "crashed",
    ),
    ("nbgrader rejected it", None, Outcome("a", error="bad metadata"), "invalid"),
    (
        "something to look at",
        None,
        Outcome("a", graded=True, flags=["x"], timeouts=["c"]),
        "flagged",
    ),
    ("its kernel died", None, Outcome("a", graded=True, died="exited with status 3"), "crashed"),
    ("it ran out of memory", None, Outcome("a", graded=True, memory=["cell 5"]), "crashed"),
    ("a cell ran too long", None, Outcome("a", graded=True, timeouts=["cell 5"]), "timeout"),
    ("it ran", None, Outcome("a", graded=True), "graded"),
]


@pytest.mark.parametrize(
    ("entry", "outcome", "status"), [r[1:] for r in RULES], ids=[r[0] for r in RULES]
)
def test_the_first_rule_that_applies_gives_the_status(entry, outcome, status):
    assert status_of(entry, outcome) == status


def test_every_status_has_a_meaning_for_the_summary():
    assert set(MEANING) == set(STATUSES)


def test_the_note_says_what_happened_in_words():
    outcome = Outcome(
        "a", graded=True, died="the kernel was killed by SIGKILL", timeouts=["cell 7"]
    )
    outcome.memory, outcome.flags, outcome.notes = (
        ["cell 9"],
        ["cell 3 does not hold the tests"],
        ["restored"],
    )
    notes = outcome_notes(outcome, timeout=30, memory_gb=4)
    assert notes == [
        "the kernel was killed by SIGKILL",
        "cell 9 ran out of memory (limit 4 GB)",
        "cell 7 ran past 30 s and was stopped",
        "look at this: cell 3 does not hold the tests",
        "restored",
    ]


def test_the_csv_has_one_row_per_student_and_a_column_per_graded_cell(tmp_path):
    rows = [
        Row(
            "ada",
            "ex1-forward",
            "graded",
            12.0,
            15.0,
            {"a-tests": 2.0, "essay": None},
            "ada.ipynb",
            ["ok"],
        ),
        Row("bob", "ex1-forward", "invalid", 0.0, 15.0, file="bob.pdf", notes=["not a notebook"]),
    ]
    report = Report("ex1-forward", tmp_path, rows, ["a-tests", "essay"], 3.0, "confined: …")
    with open(write_csv(report), newline="") as fh:
        table = list(csv.reader(fh))
    assert table == [
        [
            "student",
            "assignment",
            "status",
            "score",
            "max_score",
            "a-tests",
            "essay",
            "file",
            "note",
        ],
        ["ada", "ex1-forward", "graded", "12", "15", "2", "", "ada.ipynb", "ok"],
        ["bob", "ex1-forward", "invalid", "0", "15", "", "", "bob.pdf", "not a notebook"],
    ]
    text = summary(report)
    assert "confined: …" in text and "bob" in text.split("needs a look:")[1]
