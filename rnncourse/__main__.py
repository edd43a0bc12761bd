"""The course's command line: ``python -m rnncourse grade ASSIGNMENT SUBMISSIONS [options]``.

``grade`` grades a folder or zip of student notebooks (one ``<student>.ipynb`` each, or nbgrader's
``<student>/<assignment>/<notebook>.ipynb`` layout) and writes ``grades.csv``, one feedback HTML
per student and an nbgrader course folder (gradebook and autograded notebooks) for formgrader.
Students' code runs in sandboxes (bubblewrap, on Linux) and never in the process or kernel that
runs the tests; where sandboxes are impossible the summary says so. See
:mod:`rnncourse.grading.batch` and ``docs/instructor.md``.

Exit status: 0 when every student got a row in ``grades.csv`` (whatever their status), 2 for a
usage error (unknown assignment, missing SUBMISSIONS), 1 when the grader itself failed.
"""

from __future__ import annotations

import argparse
import sys


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _workers(text: str) -> int:
    from rnncourse.grading.sandbox import MAX_WORKERS

    value = _positive_int(text)
    if value > MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_WORKERS}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def parser() -> argparse.ArgumentParser:
    from rnncourse.grading.batch import DEFAULT_MEMORY_GB, STATUSES

    top = argparse.ArgumentParser(prog="python -m rnncourse", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True)
    grade = commands.add_parser(
        "grade",
        help="grade a folder or zip of submissions",
        description=(
            "Grade every student's notebook in SUBMISSIONS (a folder or a .zip) with nbgrader and "
            "this course's configuration, each student's code in a sandbox of its own and the "
            "tests in a separate kernel. Each student gets one row in OUT/grades.csv with a "
            f"status ({', '.join(STATUSES)}) and a feedback HTML in OUT/feedback/."
        ),
    )
    grade.add_argument("assignment", metavar="ASSIGNMENT", help="assignment id, e.g. ex1-forward")
    grade.add_argument("submissions", metavar="SUBMISSIONS", help="folder or .zip of notebooks")
    grade.add_argument(
        "--out", metavar="DIR", help="output folder (default: grades/ASSIGNMENT/)", default=None
    )
    grade.add_argument(
        "--workers",
        type=_workers,
        default=None,
        metavar="N",
        help="submissions graded at once (default: the number of cores)",
    )
    grade.add_argument(
        "--timeout",
        type=_positive_int,
        default=None,
        metavar="SECONDS",
        help="time limit of one cell (default: c.Execute.timeout of nbgrader_config.py)",
    )
    grade.add_argument(
        "--memory",
        type=_positive_float,
        default=DEFAULT_MEMORY_GB,
        metavar="GB",
        help=f"memory limit of each process of a submission (default: {DEFAULT_MEMORY_GB:g})",
    )
    grade.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "grade":
        from rnncourse.grading import batch

        try:
            report = batch.grade(
                args.assignment,
                args.submissions,
                args.out,
                workers=args.workers,
                timeout=args.timeout,
                memory_gb=args.memory,
                progress=not args.quiet,
            )
        except batch.GraderError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2 if isinstance(exc, batch.UsageError) else 1
        if not args.quiet:
            print(batch.summary(report))
        elif report.confinement.startswith("UNCONFINED"):
            print(f"warning: {report.confinement}", file=sys.stderr)
        return 0
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
