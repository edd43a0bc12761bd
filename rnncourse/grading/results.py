"""A batch's results: one status and row per student, ``grades.csv``, and the summary.

:func:`status_of` decides a student's status from what happened before grading (a file that is
not a notebook, a student without one) and during it (the worker's
:class:`~rnncourse.grading.worker.Outcome`); the first rule that applies wins.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

#: Every status a student can get, in the order the summary lists them.
STATUSES = ("graded", "flagged", "timeout", "crashed", "invalid", "missing")
MEANING = {
    "graded": "graded normally",
    "flagged": "graded, but something in it needs your eye: the note says what",
    "timeout": "a cell ran past the time limit and was stopped; later cells were still graded",
    "crashed": "the kernel died or ran out of memory; cells after that score 0",
    "invalid": "not a readable notebook (or nbgrader rejected it): nothing was graded",
    "missing": "no notebook for this assignment: nothing was graded",
}
FIXED_COLUMNS = ["student", "assignment", "status", "score", "max_score"]
EXTRA_COLUMNS = ["file", "note"]


@dataclass
class Row:
    """One line of ``grades.csv``."""

    student: str
    assignment: str
    status: str
    score: float
    max_score: float
    cells: dict[str, float | None] = field(default_factory=dict)
    file: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def note(self) -> str:
        return "; ".join(self.notes)


@dataclass
class Report:
    """The result of a batch: rows in student order, where the files went, how it ran."""

    assignment: str
    out: Path
    rows: list[Row]
    grade_ids: list[str]
    seconds: float
    confinement: str = ""  #: how student code ran, in words (the summary's first line)

    @property
    def csv_path(self) -> Path:
        return self.out / "grades.csv"

    def counts(self) -> Counter:
        return Counter(row.status for row in self.rows)


def status_of(entry, outcome) -> str:
    """The status of one student (see :data:`MEANING`); the first rule that applies wins."""
    if entry is not None and entry.status:
        return entry.status
    if outcome is not None and outcome.grader_failure:
        return "crashed"
    if outcome is None or (not outcome.graded and not outcome.died):
        return "invalid"
    if outcome.flags:
        return "flagged"
    if outcome.died or outcome.memory or outcome.error:
        return "crashed"
    if outcome.timeouts:
        return "timeout"
    return "graded"


def outcome_notes(outcome, timeout: int, memory_gb: float | None) -> list[str]:
    """What happened to a submission, in words, for its note."""
    notes = []
    if outcome.grader_failure:
        notes.append(f"the grader failed: {outcome.grader_failure} (re-run this student)")
    elif outcome.error:
        notes.append(outcome.error)
    if outcome.died:
        notes.append(outcome.died)
    for where in outcome.memory:
        cap = f" (limit {memory_gb:g} GB)" if memory_gb else ""
        notes.append(f"{where} ran out of memory{cap}")
    for where in outcome.timeouts:
        notes.append(f"{where} ran past {timeout} s and was stopped")
    notes += [f"look at this: {flag}" for flag in outcome.flags]
    return notes + outcome.notes


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def write_csv(report: Report) -> Path:
    """``grades.csv``: the fixed columns, one per graded cell, then the file and the note."""
    path = report.csv_path
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(FIXED_COLUMNS + report.grade_ids + EXTRA_COLUMNS)
        for row in report.rows:
            fixed = [
                row.student,
                row.assignment,
                row.status,
                _number(row.score),
                _number(row.max_score),
            ]
            cells = [_number(row.cells.get(gid)) for gid in report.grade_ids]
            out.writerow(fixed + cells + [row.file, row.note])
    return path


def summary(report: Report) -> str:
    """The table printed at the end: how it ran, counts per status, every student who needs a look."""
    counts = report.counts()
    lines = [f"{report.assignment}: {len(report.rows)} student(s) in {report.seconds:.0f} s"]
    if report.confinement:
        lines.append(f"  {report.confinement}")
    lines += ["", f"  {'status':<8} {'count':>5}  meaning"]
    for status in STATUSES:
        lines.append(f"  {status:<8} {counts.get(status, 0):>5}  {MEANING[status]}")
    ran = [r for r in report.rows if r.status in ("graded", "flagged", "timeout", "crashed")]
    if ran:
        top = ran[0].max_score
        mean = sum(r.score for r in ran) / len(ran)
        lines += ["", f"  mean score of graded notebooks: {mean:.1f} / {top:g}"]
    attention = [r for r in report.rows if r.status != "graded"]
    if attention:
        width = max(len(r.student) for r in attention)
        lines += ["", "  needs a look:"]
        for r in attention:
            note = r.note if len(r.note) <= 110 else r.note[:107] + "..."
            lines.append(f"  {r.student:<{width}}  {r.status:<8} {_number(r.score):>5}  {note}")
    lines += [
        "",
        f"  grades:   {report.csv_path}",
        f"  feedback: {report.out / 'feedback'}/<student>/{report.assignment}/",
        f"  written answers: cd {report.out} && jupyter lab (Nbgrader > Formgrader)",
    ]
    return "\n".join(lines)
