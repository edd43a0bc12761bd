"""``python -m rnncourse grade`` on a class of surprising, hostile and honest notebooks, both exercises.

For each exercise two batches are graded once per test session and shared by the tests below
(a file lock makes the first test that needs them build them, also across ``pytest -n`` workers):

* ``two``: every case of ``corpus/grading/cases.py`` (broken files, crashes, loops, edited cells…),
  every attack of ``corpus/attacks/`` and every honest notebook of ``corpus/grading/honest.py``,
  as a folder, two workers, through :func:`rnncourse.grading.batch.grade`;
* ``one``: the attacks and an honest classmate again, zipped as an LMS does, one worker, through
  the command line, into a copy of the first run's course (a re-run).
"""

from __future__ import annotations

import csv
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from corpus.grading import attacks, cases, honest
from corpus.grading.exercise import Exercise
from nbgrader_course import page_text

from conftest import IN_CI, REPO
from rnncourse.grading import batch, sandbox, validate
from rnncourse.grading.course import Course

EXERCISES = ["ex1-forward", "ex2-bptt"]
TIMEOUT = {"ex1-forward": 10, "ex2-bptt": 30}  # seconds per cell: ex2's training test needs more
RAN = {"graded", "flagged", "timeout", "crashed"}
# The cases test the grader more than the exercise: ex1 runs them all; ex2, whose notebooks train
# a network (seconds each), runs those whose outcome depends on the exercise's own cells.
# (ex2's "correct" is the honest classmate: the same notebook.)
CASES = {
    "ex2-bptt": [
        "untouched",
        "raising",
        "os-exit",
        "deleted-cells",
        "edited-tests",
        "changed-flags",
    ]
}
# Building an exercise's two runs takes minutes on a busy machine (ex2 trains a network per
# notebook); the first test to need them waits that long.
pytestmark = pytest.mark.timeout(2400)
CLASSMATE = "honest-solution"


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


def write_class(folder: Path, ex: Exercise, *, everything: bool) -> dict[str, tuple[str, float]]:
    """Write the submissions of one run; return student -> (status, autograded score)."""
    folder.mkdir(parents=True, exist_ok=True)
    expected = {}
    if everything:
        chosen = [c for c in cases.CASES if c.student in CASES.get(ex.assignment, [c.student])]
        cases.write(folder, ex, chosen)
        expected.update({c.student: (c.status, c.score(ex)) for c in chosen})
    for attack in attacks.ATTACKS:
        (folder / f"{attack.name}.ipynb").write_bytes(attack.notebook(ex))
        expected[attack.name] = (attack.status, attack.score(ex))
    for student, data in honest.notebooks(ex).items():
        if everything or student == CLASSMATE:
            (folder / f"{student}.ipynb").write_bytes(data)
            expected[student] = ("graded", ex.total)
    return expected


def build(base: Path, a: str) -> None:
    ex = Exercise(a)
    expected = write_class(base / "everything", ex, everything=True)
    report = batch.grade(
        a, base / "everything", base / "two", workers=2, timeout=TIMEOUT[a],
        memory_gb=cases.MEMORY_GB, progress=False,
    )  # fmt: skip
    again = write_class(base / "again", ex, everything=False)
    archive = cases.write_zip(base / "again", base / "again.zip")
    shutil.copytree(
        report.out,
        base / "one",
        ignore=shutil.ignore_patterns("submitted", "autograded", "feedback", "grades.csv"),
    )
    cli = subprocess.Popen(
        [sys.executable, "-m", "rnncourse", "grade", a, str(archive), "--out", str(base / "one"), "--workers", "1",
         "--timeout", str(TIMEOUT[a]), "--memory", str(cases.MEMORY_GB)],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=Course(base / "env").env(),
    )  # fmt: skip
    stdout, stderr = cli.communicate()
    # no process of either run's sandboxes is left (other tests may be grading meanwhile: each
    # batch has user ids of its own)
    ours = [*sandbox.batch_uids(os.getpid()), *sandbox.batch_uids(cli.pid)]
    left = [p for p in os.listdir("/proc") if p.isdigit() and _uid(p) in ours]
    done = {"returncode": cli.returncode, "stdout": stdout, "stderr": stderr[-5000:]}
    done.update(expected={**expected, **again}, again=sorted(again), left=left)
    (base / "done.json").write_text(json.dumps(done))


def _uid(pid: str) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None


def refuse_to_run_attacks_unconfined() -> None:
    """Fail (in CI) or skip unless students' code can be confined here.

    The attack notebooks are real attacks: unconfined, they plant modules in every folder on
    Python's path, kill processes and edit databases on the machine that runs the tests (as root,
    the whole machine). They only ever run in the sandbox they test.
    """
    probed = sandbox.probe(sandbox.Limits())
    if not probed.confined:
        why = f"the attack corpus runs only in the grader's sandbox, and there is none here: {probed.why}"
        pytest.fail(why) if IN_CI else pytest.skip(why)


@pytest.fixture(scope="session", params=EXERCISES)
def runs(request, tmp_path_factory):
    """Both runs of one exercise (built once per test session, whatever the -n)."""
    refuse_to_run_attacks_unconfined()
    a = request.param
    root = tmp_path_factory.getbasetemp()
    if hasattr(request.config, "workerinput"):  # a pytest-xdist worker: share with the others
        root = root.parent
    base = root / f"grade-batch-{a}"
    with locked(root / f"grade-batch-{a}.lock"):
        if not (base / "done.json").exists():
            base.mkdir(exist_ok=True)
            build(base, a)
    done = json.loads((base / "done.json").read_text())
    rows = {run: read_csv(base / run / "grades.csv")[1] for run in ("two", "one")}
    return {"a": a, "ex": Exercise(a), "base": base, "rows": rows, **done}


def autograded(row: dict, ex: Exercise) -> float:
    return sum(float(row[gid] or 0) for gid in ex.points)


def failures(runs, students, run: str = "two") -> list[str]:
    """Students whose status or autograded score is not what they deserve, in words."""
    out = []
    for student in students:
        row = runs["rows"][run][student]
        status, score = runs["expected"][student]
        if (row["status"], autograded(row, runs["ex"])) != (status, score):
            out.append(
                f"{student}: {row['status']} {autograded(row, runs['ex']):g}, not {status} {score:g} ({row['note']})"
            )
    return out


def test_the_command_line_run_succeeds_and_prints_a_summary(runs):
    assert runs["returncode"] == 0, runs["stderr"]
    out = runs["stdout"]
    for status in batch.STATUSES:
        assert re.search(rf"^  {status} +\d+  {re.escape(batch.MEANING[status])}$", out, re.M)
    assert re.search(r"^  (confined|UNCONFINED)", out, re.M) and "grades.csv" in out


def test_every_input_student_appears_exactly_once(runs):
    for run, students in (("two", runs["expected"]), ("one", runs["again"])):
        columns, rows = read_csv(runs["base"] / run / "grades.csv")
        graded = [
            c.metadata.nbgrader["grade_id"]
            for c in runs["ex"].source.cells
            if validate.is_test(c) or validate.is_written(c)
        ]
        assert columns == [
            "student",
            "assignment",
            "status",
            "score",
            "max_score",
            *graded,
            "file",
            "note",
        ]
        assert sorted(rows) == sorted(students)


def test_each_case_gets_its_status_score_and_note(runs):
    ex, rows = runs["ex"], runs["rows"]["two"]
    chosen = [c for c in cases.CASES if c.student in rows]
    assert failures(runs, [c.student for c in chosen]) == []
    for case in chosen:
        row = rows[case.student]
        assert cases.words(case.note, ex) in row["note"], (case.student, row["note"])
        assert row["max_score"] == f"{ex.max_score:g}"
        assert all(row[gid] == "0" for gid in case.zero(ex)), case.student
        if case.status not in RAN:
            assert all(row[gid] == "" for gid in ex.points), case.student


def test_no_attack_earns_an_undeserved_point_with_one_or_two_workers(runs):
    names = [a.name for a in attacks.ATTACKS]
    assert failures(runs, names, "two") + failures(runs, names, "one") == []


def test_honest_work_gets_full_marks_and_no_flag(runs):
    names = list(honest.notebooks(runs["ex"]))
    assert len(names) >= 9 and failures(runs, names) == []
    for name in names:
        assert "look at this" not in runs["rows"]["two"][name]["note"]


def test_an_honest_classmate_keeps_full_marks_beside_every_attack(runs):
    for run in ("two", "one"):
        row = runs["rows"][run][CLASSMATE]
        assert (row["status"], autograded(row, runs["ex"])) == ("graded", runs["ex"].total), row[
            "note"
        ]


def test_a_re_run_on_the_same_course_with_one_worker_gives_the_same_rows(runs):
    two, one = runs["rows"]["two"], runs["rows"]["one"]
    for student in runs["again"]:
        same = {k: v for k, v in one[student].items() if k != "file"}
        assert same == {k: v for k, v in two[student].items() if k != "file"}, student


def outputs(nb, *, tests: bool) -> str:
    """The text of every output of the test cells (``tests``) or of the student's cells."""
    parts = []
    for cell in nb.cells:
        if cell.cell_type != "code" or validate.is_test(cell) != tests:
            continue
        for output in cell.get("outputs", []):
            parts += [
                str(output.get("text", "")),
                str(output.get("evalue", "")),
                json.dumps(output.get("data", {})),
            ]
    return "\n".join(parts)


def test_attacks_find_nothing_outside_their_own_folder(runs):
    for attack in attacks.ATTACKS:
        nb = nbformat.read(
            runs["base"] / "two" / "autograded" / attack.name / runs["a"] / f"{runs['a']}.ipynb", 4
        )
        assert attacks.found(outputs(nb, tests=False)) == [], attack.name
    assert runs["left"] == []  # no process of any student's sandbox is left


def test_feedback_shows_each_tests_verdict_never_test_code_output_or_active_content(runs):
    a, ex = runs["a"], runs["ex"]
    secret = validate.hidden_lines(ex.source)
    for student, row in runs["rows"]["two"].items():
        path = runs["base"] / "two" / "feedback" / student / a / f"{a}.html"
        if row["status"] not in RAN:
            assert not path.exists(), student
            continue
        page = path.read_text(encoding="utf-8")
        text = page_text(page)
        assert f"{a} (Score: {float(row['score'])} / {float(row['max_score'])})" in text, student
        submitted = nbformat.read(
            runs["base"] / "two" / "submitted" / student / a / f"{a}.ipynb", 4
        )
        own = "\n".join(c.source for c in submitted.cells)
        assert not [line for line in secret if line in text and line not in own], student
        scripts = " ".join(re.findall(r"<script\b[^>]*>(.*?)</script>", page, flags=re.DOTALL))
        assert "pwned" not in scripts and "innerHTML" not in scripts, student  # no student JS
        assert "<h1>Score" not in page and "<svg>" not in page, student  # no student HTML
        for gid in ex.points:
            passed = float(row[gid] or 0) > 0
            assert ("All checks of this cell passed." in text) or not passed, student
    assert "All checks of this cell passed." in page_text(
        (runs["base"] / "two" / "feedback" / CLASSMATE / a / f"{a}.html").read_text()
    )


def test_the_output_folder_is_a_consistent_nbgrader_course(runs):
    rows, a = runs["rows"]["two"], runs["a"]
    course = Course(runs["base"] / "two")
    results = course.results(a)
    assert sorted(results) == sorted(s for s, r in rows.items() if r["status"] in RAN)
    for student, result in results.items():
        assert result.score == autograded(rows[student], runs["ex"]), student
        nb = course.autograded_notebook(a, student)
        counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
        ran = [n for n in counts if n is not None]
        assert ran == list(range(1, len(ran) + 1)), student  # numbered in notebook order
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        assert {s.id for s in gb.students} == set(rows)  # invalid and missing students too


def test_a_flood_of_output_is_cut_while_it_arrives(runs):
    a = runs["a"]
    for student in [s for s in ("huge-output", "floods") if s in runs["rows"]["two"]]:
        assert (
            runs["base"] / "two" / "autograded" / student / a / f"{a}.ipynb"
        ).stat().st_size < 1_000_000


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
    absent = run("ex1-forward", str(tmp_path / "nowhere"))
    assert absent.returncode == 2 and "does not exist" in absent.stderr
    bad_zip = tmp_path / "class.zip"
    bad_zip.write_text("not a zip")
    assert run("ex1-forward", str(bad_zip)).returncode == 2
    usage = run("ex1-forward", str(tmp_path), "--workers", "0")
    assert usage.returncode == 2 and "must be at least 1" in usage.stderr


def test_unconfined_grading_still_separates_and_says_so_everywhere(tmp_path):
    ex = Exercise("ex1-forward")
    attack = next(a for a in attacks.ATTACKS if a.name == "numpy-patched")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "cheat.ipynb").write_bytes(attack.notebook(ex))
    report = batch.grade("ex1-forward", tmp_path / "in", tmp_path / "out", workers=1, timeout=10,
                         memory_gb=cases.MEMORY_GB, progress=False, confine=False)  # fmt: skip
    (row,) = report.rows
    assert report.confinement.startswith("UNCONFINED") and "UNCONFINED" in batch.summary(report)
    assert "graded UNCONFINED" in row.note
    assert row.status == "graded" and row.score == attack.score(ex)
