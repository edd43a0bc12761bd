"""``python -m rnncourse grade``: a class's worth of surprising submissions, graded twice.

The corpus (``tests/corpus/grading/cases.py``) holds one exercise-1 submission per way a notebook
can go wrong: wrong, raising, looping forever, exiting the kernel, eating memory, asking for input,
printing floods, deleted, edited, retyped or duplicated cells, broken files, and three kinds of
cheating. It is graded twice:

* as a folder with two workers, through :func:`rnncourse.grading.batch.grade`;
* as a zip (wrapped in a folder, with macOS and Jupyter debris) with one worker, through the
  command line, into an output folder that already holds the first run's course (a re-run).

Both runs are made once and shared by the tests below, also across ``pytest -n`` workers (a file
lock makes the first test to need them build them; the others wait and read).
"""

from __future__ import annotations

import csv
import fcntl
import html
import json
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from corpus.grading import cases

from conftest import REPO
from rnncourse.grading import batch
from rnncourse.grading.course import Course
from rnncourse.grading.validate import hidden_lines

A = cases.ASSIGNMENT
RAN = {"graded", "flagged", "timeout", "crashed"}
COLUMNS = [
    "student",
    "assignment",
    "status",
    "score",
    "max_score",
    "ewma-tests",
    "rnn-step-tests",
    "rnn-forward-tests",
    "deep-rnn-forward-tests",
    "count-parameters-tests",
    "neuron-vs-ewma",
    "file",
    "note",
]


@contextmanager
def locked(path: Path):
    with open(path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def read_csv(path: Path) -> tuple[list[str], dict[str, dict]]:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    return reader.fieldnames, {row["student"]: row for row in rows}


@pytest.fixture(scope="session")
def runs(tmp_path_factory, request):
    """Both batch runs of the corpus (built once per test session, whatever the -n)."""
    root = tmp_path_factory.getbasetemp()
    if hasattr(request.config, "workerinput"):  # a pytest-xdist worker: share with the others
        root = root.parent
    base = root / "grade-batch"
    with locked(root / "grade-batch.lock"):
        if not (base / "done.json").exists():
            base.mkdir(exist_ok=True)
            folder = cases.write(base / "submissions")
            archive = cases.write_zip(folder, base / "class.zip")
            first = batch.grade(
                A,
                folder,
                base / "two-workers",
                workers=2,
                timeout=cases.TIMEOUT,
                memory_gb=cases.MEMORY_GB,
                progress=False,
            )
            # the second run goes into a copy of the first run's course, as a re-run would
            second = base / "one-worker"
            shutil.copytree(
                first.out,
                second,
                ignore=shutil.ignore_patterns("submitted", "autograded", "feedback", "grades.csv"),
            )
            cli = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "rnncourse",
                    "grade",
                    A,
                    str(archive),
                    "--out",
                    str(second),
                    "--workers",
                    "1",
                    "--timeout",
                    str(cases.TIMEOUT),
                    "--memory",
                    str(cases.MEMORY_GB),
                ],
                cwd=REPO,
                capture_output=True,
                text=True,
                env=Course(base / "env").env(),
            )
            (base / "done.json").write_text(
                json.dumps(
                    {
                        "returncode": cli.returncode,
                        "stdout": cli.stdout,
                        "stderr": cli.stderr[-5000:],
                    }
                )
            )
    done = json.loads((base / "done.json").read_text())
    return {
        "folder": base / "submissions",
        "two": base / "two-workers",
        "one": base / "one-worker",
        "cli": done,
    }


@pytest.fixture(scope="session")
def rows(runs):
    return read_csv(runs["two"] / "grades.csv")[1]


def test_the_command_line_run_succeeds_and_prints_a_summary(runs):
    cli = runs["cli"]
    assert cli["returncode"] == 0, cli["stderr"]
    out = cli["stdout"]
    for status in batch.STATUSES:
        assert re.search(rf"^  {status} +\d+  {re.escape(batch.MEANING[status])}$", out, re.M)
    assert "needs a look:" in out and "grades.csv" in out
    assert re.search(r"^  os-exit +crashed +7 +the kernel exited with status 3", out, re.M)


def test_every_input_student_appears_exactly_once(runs):
    for run in ("two", "one"):
        columns, by_student = read_csv(runs[run] / "grades.csv")
        assert columns == COLUMNS
        with open(runs[run] / "grades.csv", encoding="utf-8") as fh:
            assert len(fh.read().splitlines()) == len(cases.CASES) + 1
        assert sorted(by_student) == sorted(case.student for case in cases.CASES)


@pytest.mark.parametrize("case", cases.CASES, ids=[c.student for c in cases.CASES])
def test_each_submission_gets_the_status_and_score_it_deserves(rows, case):
    row = rows[case.student]
    assert (row["status"], float(row["score"])) == (case.status, case.score), row["note"]
    assert row["max_score"] == "15" and row["assignment"] == A
    assert case.note in row["note"]
    for gid, points in (case.cells or {}).items():
        assert row[gid] == f"{points:g}", gid
    if case.status in RAN:
        autograded = [row[c] for c in COLUMNS[5:10]]
        assert all(value != "" for value in autograded)
        assert float(row["score"]) == sum(float(v) for v in autograded + [row[COLUMNS[10]] or 0])
    else:
        assert all(row[c] == "" for c in COLUMNS[5:11])
    if case.status == "graded" and case.score == 12:
        assert row["neuron-vs-ewma"] == "" and "to grade by hand: neuron-vs-ewma" in row["note"]


def test_one_worker_on_the_zip_gives_the_same_csv_as_two_workers_on_the_folder(runs):
    two = (runs["two"] / "grades.csv").read_text(encoding="utf-8")
    one = (runs["one"] / "grades.csv").read_text(encoding="utf-8")
    assert one == two


def page_text(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_feedback_for_every_graded_student_shows_errors_but_no_hidden_test(runs, rows):
    source = nbformat.read(REPO / "source" / A / f"{A}.ipynb", as_version=4)
    secret = hidden_lines(source)
    for student, row in rows.items():
        page_path = runs["two"] / "feedback" / student / A / f"{A}.html"
        if row["status"] not in RAN:
            assert not page_path.exists(), student
            continue
        page = page_text(page_path.read_text(encoding="utf-8"))
        # nbgrader's feedback template: the student's score at the top, as in the CSV
        score = f"{A} (Score: {float(row['score'])} / {float(row['max_score'])})"
        assert score in page, (student, score)
        submitted = (runs["two"] / "submitted" / student / A / f"{A}.ipynb").read_text()
        leaked = [line for line in secret if line in page and line not in submitted]
        assert not leaked, (student, leaked[:3])
        assert "rnncourse_tamper" not in page and tamper_mark() not in page, student
    wrong = page_text((runs["two"] / "feedback" / "wrong" / A / f"{A}.html").read_text())
    assert "AssertionError: one layer with D = H = 1 has three parameters" in wrong
    crashed = page_text((runs["two"] / "feedback" / "os-exit" / A / f"{A}.html").read_text())
    assert "KernelDied" in crashed and "the kernel had stopped in an earlier cell" in crashed


def tamper_mark() -> str:
    from rnncourse.grading.tamper import PROBE_MARK

    return PROBE_MARK


def test_the_output_folder_is_a_consistent_nbgrader_course(runs, rows):
    course = Course(runs["two"])
    results = course.results(A)
    assert sorted(results) == sorted(s for s, r in rows.items() if r["status"] in RAN)
    for student, result in results.items():
        assert result.score == sum(float(rows[student][c]) for c in COLUMNS[5:10]), student
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        assert {s.id for s in gb.students} == set(rows)  # invalid and missing students too
    for student in results:
        nb = course.autograded_notebook(A, student)
        counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
        ran = [n for n in counts if n is not None]
        assert ran == list(range(1, len(ran) + 1)), student  # the grader's cells are gone
        assert not any("rnncourse_grader" in c.metadata for c in nb.cells)
        sources = "\n".join(c.source for c in nb.cells)
        assert "rnncourse_tamper" not in sources and "_rnncourse_watch_" not in sources


def test_a_flood_of_output_is_cut_while_it_arrives(runs):
    path = runs["two"] / "autograded" / "huge-output" / A / f"{A}.ipynb"
    assert path.stat().st_size < 400_000  # the cell printed over 20 MB


def test_the_grader_fails_only_for_its_own_reasons(tmp_path):
    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "rnncourse", "grade", *args, "--quiet"],
            cwd=REPO,
            capture_output=True,
            text=True,
        )

    unknown = run("ex9-nothing", str(tmp_path))
    assert unknown.returncode == 2 and "unknown assignment 'ex9-nothing'" in unknown.stderr
    absent = run(A, str(tmp_path / "nowhere"))
    assert absent.returncode == 2 and "does not exist" in absent.stderr
    bad_zip = tmp_path / "class.zip"
    bad_zip.write_text("not a zip")
    assert run(A, str(bad_zip)).returncode == 2
    usage = run(A, str(tmp_path), "--workers", "0")
    assert usage.returncode == 2 and "must be at least 1" in usage.stderr
