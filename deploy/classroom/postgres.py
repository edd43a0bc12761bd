"""The gradebook's PostgreSQL: a cluster of the classroom's own, reached only through a Unix socket.

Debian's ``postgresql`` package brings the server binaries and the ``postgres`` account; the
classroom initialises its own cluster in ``root/postgres/data`` instead of touching Debian's
(``15/main``, which may well be running already: the two never meet). It listens on no TCP port
at all. Its socket folder is ``root/postgres/run`` (mode 750, group = the grader's), so only the
grader account can even connect, and ``pg_hba.conf`` lets in exactly two peers: ``postgres`` and
the grader, each as the database role of its own Linux name. No password exists.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from classroom import system
from classroom.settings import Settings

ADMIN = "postgres"


def bindir() -> Path | None:
    """The newest PostgreSQL server binaries on this machine (Debian keeps them per version)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if found:
        return found[-1].parent
    which = shutil.which("pg_ctl")
    return Path(which).resolve().parent if which else None


def _bin(name: str) -> str:
    folder = bindir()
    if folder is None:
        raise system.CommandError("PostgreSQL's server binaries are missing")
    return str(folder / name)


def running(settings: Settings) -> int | None:
    """The pid of the classroom's own server if it runs, else None."""
    pidfile = settings.pg_data / "postmaster.pid"
    try:
        pid = int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if system._alive(pid) else None


def initialise(settings: Settings) -> bool:
    """Create the cluster if it does not exist; True if it was created now."""
    if (settings.pg_data / "PG_VERSION").exists():
        return False
    system.folder(settings.pg_dir, 0o755, owner=ADMIN)  # its log is written here
    system.folder(settings.pg_data, 0o700, owner=ADMIN)
    system.run(
        [_bin("initdb"), "--pgdata", str(settings.pg_data), "--username", ADMIN,
         "--auth-local=peer", "--auth-host=reject", "--encoding=UTF8", "--locale=C.UTF-8"],
        user=ADMIN,
    )  # fmt: skip
    hba = (
        "# Written by make classroom: Unix socket only, each peer as its own Linux name.\n"
        f"local all {ADMIN} peer\n"
        f'local {settings.database} "{settings.grader}" peer\n'
    )
    system.write(settings.pg_data / "pg_hba.conf", hba, 0o600, owner=ADMIN)
    return True


def start(settings: Settings) -> bool:
    """Start the server if it is not running; True if it was started now."""
    if running(settings):
        return False
    system.folder(settings.pg_socket_dir, 0o750, owner=ADMIN, group=settings.grader)
    options = f"-c listen_addresses='' -c unix_socket_directories='{settings.pg_socket_dir}'"
    system.run(
        [_bin("pg_ctl"), "--pgdata", str(settings.pg_data), "--log",
         str(settings.pg_dir / "server.log"), "--wait", "--options", options, "start"],
        user=ADMIN, cwd="/",
    )  # fmt: skip
    return True


def stop(settings: Settings) -> bool:
    """Stop the classroom's server if it runs; True if it was running."""
    if not running(settings):
        return False
    system.run(
        [_bin("pg_ctl"), "--pgdata", str(settings.pg_data), "--mode", "fast", "--wait", "stop"],
        user=ADMIN, cwd="/",
    )  # fmt: skip
    for _ in range(50):
        if not running(settings):
            break
        time.sleep(0.1)
    return True


def psql(settings: Settings, sql: str) -> str:
    proc = system.run(
        [_bin("psql"), "--host", str(settings.pg_socket_dir), "--username", ADMIN,
         "--dbname", "postgres", "--tuples-only", "--no-align", "--quiet", "--command", sql],
        user=ADMIN, cwd="/",
    )  # fmt: skip
    return proc.stdout.strip()


def ensure_gradebook(settings: Settings) -> list[str]:
    """The grader's role and database exist; returns what was created now."""
    created = []
    role = settings.grader.replace('"', "")
    if not psql(settings, f"SELECT 1 FROM pg_roles WHERE rolname = '{role}'"):
        psql(settings, f'CREATE ROLE "{role}" LOGIN')
        created.append(f"role {role}")
    if not psql(settings, f"SELECT 1 FROM pg_database WHERE datname = '{settings.database}'"):
        psql(settings, f'CREATE DATABASE {settings.database} OWNER "{role}"')
        created.append(f"database {settings.database}")
    return created


def other_servers() -> list[str]:
    """PostgreSQL servers that are not the classroom's (e.g. Debian's 15/main), for the record."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmd and os.path.basename(cmd[0].decode(errors="replace")) in ("postgres", "postmaster"):
            if b"-D" in cmd:
                found.append(cmd[cmd.index(b"-D") + 1].decode(errors="replace"))
    return found
