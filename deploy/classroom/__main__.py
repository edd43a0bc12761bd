"""The course's classroom on one Linux server: ``python3 -m classroom up|down|check`` (stdlib only).

``make classroom ROSTER=deploy/roster.csv`` runs ``up``; ``make classroom-stop [PURGE=1]`` runs
``down``. See deploy/README.md and docs/instructor.md §5. Exit statuses: 0 done; 1 a step failed
(what this run had made is removed again); 2 bad roster or arguments; 3 the machine lacks
something; 4 something is in the way (a port, an account). Statuses 2 to 4 change nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import shutil
import sys
import time
from pathlib import Path

from classroom import course, envs, hub, postgres, preflight, roster, system
from classroom.settings import DEFAULT_ROOT, Settings
from classroom.state import State


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python3 -m classroom", description=__doc__.splitlines()[0])
    top.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="where everything lives")
    sub = top.add_subparsers(dest="command", required=True)
    for name, text in (
        ("up", "bring the class up (again)"),
        ("check", "check only, change nothing"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--roster", type=Path, required=True, help="the class list (CSV)")
        cmd.add_argument("--port", type=int, default=8000, help="the class's port (n..n+3 used)")
        cmd.add_argument("--ip", default="127.0.0.1", help="where the class listens")
        cmd.add_argument("--grader", default="grader-rnn", help="the grader's Linux account")
    down = sub.add_parser("down", help="stop everything; --purge also removes it")
    down.add_argument("--purge", action="store_true", help="remove accounts, database, folders")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.command == "down":
        return down(Settings(root=args.root.resolve()), purge=args.purge)
    settings = Settings(root=args.root.resolve(), ip=args.ip, port=args.port, grader=args.grader)
    try:
        people = roster.read(args.roster, reserved={settings.grader})
    except roster.RosterError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return preflight.USAGE
    state = State.load(settings)
    python = envs.python_for_envs()
    problems = preflight.check(
        settings, people, state_accounts=set(state.accounts),
        hub_running=bool(hub.running(settings)), python=python,
    )  # fmt: skip
    if problems:
        print("error: the class cannot be brought up; nothing was changed:", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem.message}", file=sys.stderr)
        return min(p.status for p in problems)
    if args.command == "check":
        print(f"ready: {len(people)} people, {settings.url}")
        return 0
    return up(settings, people, state, python)


# --------------------------------------------------------------------------- up


def say(text: str) -> None:
    print(text, flush=True)


def up(settings: Settings, people: list[roster.Person], state: State, python: str) -> int:
    undo: list[tuple[str, object]] = []  # what this run made, to remove if a later step fails
    try:
        if not settings.root.exists():
            undo.append(("the folder " + str(settings.root), lambda: shutil.rmtree(settings.root)))
        system.folder(settings.root, 0o755)
        system.folder(settings.hub_dir, 0o700)
        state.save(settings)
        _accounts(settings, people, state, undo)
        say("environments: the course's (every account) and the hub's ...")
        started = time.monotonic()
        envs.course_env(settings, python)
        envs.hub_env(settings, python)
        envs.proxy(settings)
        say(f"environments: ready ({time.monotonic() - started:.0f} s)")
        say("files: role settings, the grader's course copy, the exchange, lectures ...")
        course.role_settings(settings)
        course.grader_settings(settings)
        course.grader_course(settings)
        course.exchange(settings)
        for person in people:
            course.lectures(settings, person.username)
        _gradebook(settings, people, undo)
        _hub(settings, people, undo)
    except (Exception, KeyboardInterrupt) as exc:
        print(f"error: {exc}", file=sys.stderr)
        for what, action in reversed(undo):
            print(f"  undoing: {what}", file=sys.stderr)
            try:
                action()
            except Exception as again:  # keep undoing the rest
                print(f"  (could not: {again})", file=sys.stderr)
        return 1
    _welcome(settings, people)
    return 0


def _accounts(settings, people, state, undo) -> None:
    if not system.group_exists(settings.group):
        system.create_group(settings.group)
        state.group = True
        state.save(settings)
        undo.append(
            (f"the group {settings.group}", lambda: system.run(["groupdel", settings.group]))
        )
    wanted = [(settings.grader, "grader", "nbgrader's grader for the course")] + [
        (p.username, p.role, p.name or p.role) for p in people
    ]
    new_passwords = []
    for name, role, comment in wanted:
        if system.user_exists(name):
            continue
        system.create_account(name, settings.group, comment)
        state.accounts.append(name)
        state.save(settings)
        undo.append((f"the account {name}", lambda n=name: _forget(settings, state, n)))
        if role != "grader":  # the grader never logs in: no password at all
            password = system.new_password()
            system.set_password(name, password)
            new_passwords.append((name, role, password))
    if new_passwords:
        _record_passwords(settings, new_passwords)
        say(
            f"accounts: {len(new_passwords)} new, first passwords in {settings.passwords} (root only)"
        )


def _forget(settings, state, name) -> None:
    system.delete_account(name)
    if name in state.accounts:
        state.accounts.remove(name)
        state.save(settings)


def _record_passwords(settings, rows) -> None:
    old = settings.passwords.read_text(encoding="utf-8") if settings.passwords.exists() else ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if not old:
        writer.writerow(["username", "role", "first_password"])
    writer.writerows(rows)
    system.write(settings.passwords, old + out.getvalue(), 0o600)


def _gradebook(settings, people, undo) -> None:
    made = postgres.initialise(settings)
    if made:
        undo.append(("the gradebook's cluster", lambda: shutil.rmtree(settings.pg_dir)))
    others = [d for d in postgres.other_servers() if Path(d) != settings.pg_data]
    if others:
        say(
            f"PostgreSQL already runs here ({', '.join(others)}): left alone; the gradebook has its own"
        )
    if postgres.start(settings):
        undo.append(("the gradebook's server", lambda: postgres.stop(settings)))
    created = postgres.ensure_gradebook(settings)
    students = [p.username for p in people if not p.staff]
    system.run(
        [str(settings.env / "bin" / "python"), "-m", "classroom.gradebook", "init", *students],
        user=settings.grader, cwd=str(settings.course_root),
        env={**settings.grader_env(), "PYTHONPATH": f"{settings.course_root / 'deploy'}:{settings.course_root}",
             "HOME": str(settings.grader_home)},
    )  # fmt: skip
    say(f"gradebook: PostgreSQL {settings.database} ({', '.join(created) or 'kept'}), "
        f"{len(students)} student(s)")  # fmt: skip


def _hub(settings, people, undo) -> None:
    changed = hub.write_settings(settings, people)
    pid = hub.running(settings)
    if pid and not changed:
        say(f"JupyterHub already runs (pid {pid}) with this roster: kept")
        return
    if pid:
        say("JupyterHub runs with another roster: restarting it (open servers stop)")
        hub.stop(settings)
    pid = hub.start(settings)
    undo.append(("JupyterHub", lambda: hub.stop(settings)))
    if not hub.wait_for_service(settings):
        raise system.CommandError(
            "the grader's service (formgrader) did not start; see " + str(settings.hub_log)
        )
    say(f"JupyterHub: running (pid {pid}), log {settings.hub_log}")


def _welcome(settings, people) -> None:
    staff = ", ".join(p.username for p in people if p.staff)
    say(
        f"\nThe class is up: {settings.url}\n"
        f"  log in with the roster's user names; first passwords: {settings.passwords} (root only)\n"
        f"  formgrader (for {staff}): {settings.url}services/{settings.course}/lab?formgrader=true\n"
        f"  stop: make classroom-stop    remove everything it made: make classroom-stop PURGE=1"
    )


# --------------------------------------------------------------------------- down


def down(settings: Settings, *, purge: bool) -> int:
    problems = preflight.root()
    if problems:
        print(f"error: {problems[0].message}", file=sys.stderr)
        return problems[0].status
    if not settings.root.exists() and not settings.wheels.parent.exists():
        say(f"no class at {settings.root}: nothing to stop")
        return 0
    state = State.load(settings)
    if hub.stop(settings):
        say("JupyterHub: stopped (with its proxy, the grader's service and every user server)")
    left = 0
    for name in state.accounts:
        left += system.kill_user_processes(name)
    if left:
        say(f"stopped {left} more process(es) of the class's accounts")
    if postgres.running(settings):
        postgres.stop(settings)
        say("gradebook server: stopped")
    if not purge:
        say(
            "the class is stopped; its accounts, gradebook and files are kept (PURGE=1 removes them)"
        )
        return 0
    for name in reversed(state.accounts):
        if system.user_exists(name):
            system.delete_account(name)
            say(f"account {name}: removed with its home")
    if state.group and system.group_exists(settings.group):
        system.run(["groupdel", settings.group])
    for folder in (settings.root, settings.wheels.parent):
        if folder.exists():
            shutil.rmtree(folder)
            say(f"{folder}: removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
