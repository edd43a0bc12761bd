"""The whole nbgrader lifecycle on this course's ``nbgrader_config.py``, as a class would live it.

An instructor's course directory and two students' home folders share an exchange directory
(``c.Exchange.root``), as on a JupyterHub with a shared volume. Each step runs the real
``nbgrader`` command and is checked in the files and the gradebook it changes:

generate → release → (students) list, fetch, answer, submit → collect → autograde → manual grade
(the API, as formgrader does) → generate feedback → release feedback → (students) fetch feedback
→ export CSV.

It is one test on purpose: the steps depend on each other, and with ``pytest -n`` separate tests
would each need their own copy of the course.
"""

from __future__ import annotations

import csv
import html
import os
import re
import subprocess
import sys

import nbformat
import pytest
from nbgrader_course import solved

from conftest import REPO
from rnncourse.grading.course import Course
from rnncourse.grading.feedback import HIDDEN_NOTE
from rnncourse.grading.validate import HIDDEN, SOLUTION, hidden_lines

ASSIGNMENT = "ex1-forward"
COURSE_ID = "rnn-from-scratch"
AUTOGRADED = 12
WRITTEN = "reading-backwards"  # the written answer, graded by hand (3 points)


def text_of(page: str) -> str:
    page = re.sub(r"<(style|script)\b.*?</\1>", "", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", page))


class Student:
    """A student's own home folder (nbgrader keeps its submission cache there), set up to reach
    the course's exchange."""

    def __init__(self, name, home, exchange, env):
        self.name, self.home = name, home
        home.mkdir(parents=True)
        data = home / ".local" / "share" / "jupyter"
        self.env = dict(
            env,
            HOME=str(home),
            USERPROFILE=str(home),
            JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
            JUPYTER_DATA_DIR=str(data),
            JUPYTER_RUNTIME_DIR=str(data / "runtime"),
            IPYTHONDIR=str(home / ".ipython"),
        )
        (home / "nbgrader_config.py").write_text(
            "c = get_config()  # noqa: F821\n"
            f"c.Exchange.root = {str(exchange)!r}\n"
            f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        )

    def nbgrader(self, *args) -> str:
        proc = subprocess.run(
            [sys.executable, "-m", "nbgrader", *args, "--student", self.name],
            cwd=self.home,
            env=self.env,
            capture_output=True,
            text=True,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout + proc.stderr


@pytest.mark.slow
def test_release_submit_collect_autograde_grade_feedback_and_export(tmp_path):
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    os.chmod(exchange, 0o777)  # shared by the instructor and every student
    course = Course(tmp_path / "course", extra_config=(f"c.Exchange.root = {str(exchange)!r}",))
    source = nbformat.read(REPO / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    secret = hidden_lines(source)
    assert len(secret) > 20

    # 1. generate: the student version has no solution and no hidden test; the gradebook knows it
    released = course.generate_assignment(ASSIGNMENT) / f"{ASSIGNMENT}.ipynb"
    student_text = released.read_text()
    assert not any(marker in student_text for marker in SOLUTION + HIDDEN)
    assert not any(line in student_text for line in secret)
    from nbgrader.api import Gradebook

    with Gradebook(course.db_url) as gb:
        assignment = gb.find_assignment(ASSIGNMENT)
        assert assignment.max_score == AUTOGRADED + 3
        assert len(assignment.notebooks[0].grade_cells) == 6

    # 2. release into the exchange
    course.nbgrader("release_assignment", ASSIGNMENT)
    outbound = exchange / COURSE_ID / "outbound" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert outbound.read_text() == student_text

    # 3. students list, fetch, answer and submit
    alice = Student("alice", tmp_path / "alice", exchange, course.env())
    bob = Student("bob", tmp_path / "bob", exchange, course.env())
    assert f"{COURSE_ID} {ASSIGNMENT}" in alice.nbgrader("list")
    for student in (alice, bob):
        student.nbgrader("fetch_assignment", ASSIGNMENT)
    fetched = alice.home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert fetched.read_text() == student_text
    nbformat.write(solved(nbformat.read(fetched, as_version=4), source), fetched)
    for student in (alice, bob):  # bob hands in the notebook untouched
        student.nbgrader("submit", ASSIGNMENT)
    inbound = sorted(p.name for p in (exchange / COURSE_ID / "inbound").iterdir())
    assert [name.split("+")[0] for name in inbound] == ["alice", "bob"]

    # 4. collect
    course.nbgrader("collect", ASSIGNMENT)
    for name in ("alice", "bob"):
        folder = course.root / "submitted" / name / ASSIGNMENT
        assert (folder / f"{ASSIGNMENT}.ipynb").exists() and (folder / "timestamp.txt").exists()

    # 5. autograde: scores land in the gradebook; the written answer waits for a human
    course.autograde(ASSIGNMENT)
    results = course.results(ASSIGNMENT)
    assert (results["alice"].score, results["alice"].max_score) == (AUTOGRADED, AUTOGRADED)
    assert results["bob"].score == 0
    assert results["alice"].cells[WRITTEN][0] is None  # answered: needs manual grading
    assert results["bob"].cells[WRITTEN][0] == 0  # unanswered: nbgrader gives 0 at once
    graded = course.autograded_notebook(ASSIGNMENT, "alice")
    assert any(line in "\n".join(c.source for c in graded.cells) for line in secret)

    # 6. manual grading, through the API formgrader uses
    with Gradebook(course.db_url, COURSE_ID) as gb:
        assert gb.find_submission(ASSIGNMENT, "alice").needs_manual_grade
        grade = gb.find_grade(WRITTEN, ASSIGNMENT, ASSIGNMENT, "alice")
        grade.manual_score = 2.5
        grade.needs_manual_grade = False
        comment = gb.find_comment(WRITTEN, ASSIGNMENT, ASSIGNMENT, "alice")
        comment.manual_comment = "Right choice of w and u; say why tanh makes the state latch."
        gb.db.commit()
        assert gb.find_submission(ASSIGNMENT, "alice").score == AUTOGRADED + 2.5
        assert not gb.find_submission(ASSIGNMENT, "alice").needs_manual_grade

    # 7. feedback: scores and the grader's comment, never the hidden tests (lines that the
    #    student wrote too, like `for t in range(x.shape[1]):`, do not count)
    course.generate_feedback(ASSIGNMENT)
    page = text_of(course.feedback_html(ASSIGNMENT, "alice"))
    assert "14.5" in page and "say why tanh makes the state latch" in page
    assert page.count(HIDDEN_NOTE) == 5
    answers = fetched.read_text()
    assert not [line for line in secret if line in page and line not in answers]
    bob_page = text_of(course.feedback_html(ASSIGNMENT, "bob"))
    assert "NotImplementedError" in bob_page  # the error is shown, in one line
    assert not [line for line in secret if line in bob_page]

    # 8. release feedback into the exchange; 9. each student fetches their own
    course.nbgrader("release_feedback", ASSIGNMENT)
    assert len(list((exchange / COURSE_ID / "feedback").glob("*.html"))) == 2
    for student in (alice, bob):
        student.nbgrader("fetch_feedback", ASSIGNMENT)
    fetched_pages = list((alice.home / ASSIGNMENT / "feedback").rglob(f"{ASSIGNMENT}.html"))
    assert len(fetched_pages) == 1
    assert text_of(fetched_pages[0].read_text()) == page

    # 10. export: one row per student with the final scores
    course.nbgrader("export", "--to", "grades.csv")
    with open(course.root / "grades.csv", newline="") as fh:
        rows = {row["student_id"]: row for row in csv.DictReader(fh)}
    assert set(rows) == {"alice", "bob"}
    assert float(rows["alice"]["score"]) == AUTOGRADED + 2.5
    assert float(rows["bob"]["score"]) == 0
    assert float(rows["alice"]["max_score"]) == AUTOGRADED + 3
