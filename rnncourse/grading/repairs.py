"""What nbgrader repaired in a submission, and why it could not grade one, in words.

nbgrader's sanitising steps put back what a student changed in the assignment's cells (a deleted
test cell, an edited locked cell, a changed cell type or point value) and say so only in its log.
The worker captures that log (:class:`Capture`) and turns it into notes for ``grades.csv``
(:func:`repairs`, :func:`edited_locked_cells`), or into the one line that says why a notebook
could not be graded at all (:func:`failure`).
"""

from __future__ import annotations

import logging
import re

from nbgrader import utils

_REPAIRS = [
    (re.compile(r"Attribute 'cell_type' for cell (\S+) has changed"), "cell type of {} restored"),
    (re.compile(r"Attribute 'locked' for cell (\S+) has changed"), "lock of cell {} restored"),
    (re.compile(r"Attribute 'points' for cell (\S+) has changed"), "points of cell {} restored"),
    (re.compile(r"Attribute 'grade' for cell (\S+) has changed"), "grade flag of cell {} restored"),
    (
        re.compile(r"Attribute 'solution' for cell (\S+) has changed"),
        "solution flag of cell {} restored",
    ),
    (re.compile(r"Missing grade cell (\S+) encountered"), "deleted cell {} restored"),
    (
        re.compile(r"Cell with id '(\S+)' exists multiple times"),
        "cell {} duplicated (the last copy is graded)",
    ),
    (re.compile(r"Cell '(\S+)' does not exist in the database"), "unknown cell id {} ignored"),
]


class Capture(logging.Handler):
    """Keeps the warnings and errors nbgrader logs while it grades one submission."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def repairs(records) -> list[str]:
    """What nbgrader's sanitising repaired, from its log warnings, in words."""
    out = []
    for record in records:
        message = record.getMessage()
        for pattern, text in _REPAIRS:
            m = pattern.search(message)
            if m and text.format(m.group(1)) not in out:
                out.append(text.format(m.group(1)))
    return out


def edited_locked_cells(submitted, *released) -> list[str]:
    """Locked cells whose source the student changed (nbgrader puts the original back).

    nbgrader logs a checksum change for every test cell with hidden tests (that is how the hidden
    tests come back), so edits are found by comparing with the released student versions instead:
    a cell counts as edited when it matches none of them (the repository's release, and the one
    nbgrader generates from the current source, which differ if the source changed since).
    """
    original: dict[str, set[str]] = {}
    for nb in released:
        for c in nb.cells:
            gid = c.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            if gid and utils.is_locked(c):
                original.setdefault(gid, set()).add(c.source.rstrip())
    out = []
    for cell in submitted.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid in original and cell.get("source", "").rstrip() not in original[gid]:
            text = f"edited locked cell {gid} restored"
            if text not in out:
                out.append(text)
    return out


def kernel_changed(submitted, source) -> list[str]:
    """A note when the notebook asks for another kernel than the assignment's (nbgrader uses
    the assignment's)."""
    name = submitted.metadata.get("kernelspec", {}).get("name")
    wanted = source.metadata.get("kernelspec", {}).get("name")
    if name and wanted and name != wanted:
        return [f"kernel {name!r} replaced by the assignment's ({wanted!r})"]
    return []


def failure(records) -> str:
    """The last error nbgrader logged, as one line."""
    lines = []
    for record in records:
        if record.levelno >= logging.ERROR:
            lines += [ln for ln in record.getMessage().splitlines() if ln.strip()]
    interesting = [
        ln
        for ln in lines
        if not ln.startswith(("Traceback", "  ", "There was an error", "Please see"))
    ]
    return (interesting or lines or ["nbgrader could not grade the notebook"])[-1].strip()[:300]
