"""The class's gradebook in PostgreSQL, seen from the grader account (run in the course environment).

``make grade`` grades in a sandbox and writes what nbgrader's autograde would: an nbgrader course
in ``grades/<assignment>/`` with its own SQLite ``gradebook.db`` and ``autograded/`` notebooks.
Formgrader, on a hub, reads the class's PostgreSQL gradebook (``c.CourseDirectory.db_url`` of the
grader's nbgrader settings) and the course folder's ``autograded/``. :func:`publish` carries the
first into the second, with nbgrader's own API, as ``nbgrader autograde`` would have written it:
each submission's automatic scores and comments and its flag; a score or comment that someone
entered by hand in formgrader is never overwritten, and a cell graded by hand stays graded.

    python -m classroom.gradebook init STUDENT ...         # tables, and the class's students
    python -m classroom.gradebook publish ASSIGNMENT [OUT]  # after make grade (OUT: grades/ASSIGNMENT)

(``make classroom-gradebook ASSIGNMENT=ex1-forward`` in the grader's course folder runs the second.)
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

#: What nbgrader's exchange writes beside a submitted notebook and its feedback steps read.
EXCHANGE_FILES = ("timestamp.txt", "submission_secret.txt")


def _config():
    """The grader's nbgrader settings as nbgrader itself reads them (config folders, then ./)."""
    from nbgrader.apps import NbGrader

    app = NbGrader()
    app.load_config_file()
    return app.config


def init(students: list[str]) -> None:
    from nbgrader.api import Gradebook

    config = _config()
    with Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb:
        for student in students:
            gb.update_or_create_student(student)


def publish(assignment: str, out: Path) -> list[str]:
    """Carry ``make grade``'s results in ``out`` into the class's gradebook; the students published."""
    import warnings

    from nbgrader.api import Gradebook, MissingEntry
    from sqlalchemy.exc import SAWarning

    # nbgrader 0.9.6's update_or_create_submission warns about its own session handling
    warnings.filterwarnings("ignore", category=SAWarning)
    config = _config()
    root = Path(config.CourseDirectory.root)
    source = out / "gradebook.db"
    if not source.exists():
        raise SystemExit(
            f"error: {source} does not exist: run make grade ASSIGNMENT={assignment} first"
        )
    done = []
    with (
        Gradebook(f"sqlite:///{source}") as graded,
        Gradebook(config.CourseDirectory.db_url, config.CourseDirectory.course_id) as gb,
    ):
        try:
            gb.find_assignment(assignment)
        except MissingEntry:
            raise SystemExit(
                f"error: {assignment} is not in the class's gradebook: run "
                f"nbgrader generate_assignment {assignment} (or Generate in formgrader) first"
            ) from None
        for submission in graded.assignment_submissions(assignment):
            student = submission.student.id
            gb.update_or_create_student(student)
            gb.update_or_create_submission(assignment, student, timestamp=submission.timestamp)
            for nb in submission.notebooks:
                for grade in nb.grades:
                    mine = gb.find_grade(grade.name, nb.name, assignment, student)
                    mine.auto_score = grade.auto_score
                    if mine.manual_score is None:
                        mine.needs_manual_grade = grade.needs_manual_grade
                for comment in nb.comments:
                    mine = gb.find_comment(comment.name, nb.name, assignment, student)
                    mine.auto_comment = comment.auto_comment
                gb.find_submission_notebook(nb.name, assignment, student).flagged = nb.flagged
            gb.db.commit()
            graded_dir = root / "autograded" / student / assignment
            _copy(out / "autograded" / student / assignment, graded_dir)
            # nbgrader's feedback steps read two files that its exchange put beside the submitted
            # notebook (nbgrader autograde copies them): the submission's time, and the secret
            # that lets only the student who submitted fetch its feedback
            for name in EXCHANGE_FILES:
                kept = root / "submitted" / student / assignment / name
                if kept.is_file() and not kept.is_symlink():
                    shutil.copyfile(kept, graded_dir / name)
            done.append(student)
    return done


def _copy(src: Path, dst: Path) -> None:
    if dst.exists():
        shutil.rmtree(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(src, dst)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m classroom.gradebook", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    first = commands.add_parser("init", help="create the tables and add the class's students")
    first.add_argument("students", nargs="*")
    pub = commands.add_parser("publish", help="carry make grade's results into the gradebook")
    pub.add_argument("assignment")
    pub.add_argument("out", nargs="?", help="make grade's output (default grades/ASSIGNMENT)")
    args = parser.parse_args(argv)
    if args.command == "init":
        init(args.students)
        print(f"gradebook ready: {len(args.students)} student(s)")
    else:
        out = Path(args.out or Path("grades") / args.assignment).resolve()
        students = publish(args.assignment, out)
        print(
            f"{args.assignment}: {len(students)} submission(s) in the class's gradebook: {', '.join(students)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
