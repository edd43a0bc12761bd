"""Everything checked before the classroom creates anything, so bad input leaves nothing behind.

Each check returns :class:`Problem`\\ s (a sentence that names the fix, and an exit status); the
command prints them all and stops before its first change. Exit statuses:

* 2 — the roster (or the command line) is wrong: nothing on the machine was looked at;
* 3 — the machine lacks something (root, npm and Node.js, PostgreSQL, a usable Python);
* 4 — something is in the way (a port in use, an account that is not the classroom's).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

from classroom import postgres, system
from classroom.roster import Person
from classroom.settings import Settings

USAGE, MISSING, CONFLICT = 2, 3, 4
NODE_MAJOR = 20  # configurable-http-proxy 5 needs Node.js 20 or newer
PYTHON_RANGE = ((3, 11), (3, 14))  # what the course's pins install on (README, Makefile)


@dataclass(frozen=True)
class Problem:
    status: int
    message: str


def check(settings: Settings, people: list[Person], *, state_accounts: set[str], hub_running: bool,
          python: str) -> list[Problem]:  # fmt: skip
    """Every problem that would stop ``make classroom``, machine first, then conflicts."""
    problems = root() + tools() + node(settings) + postgresql() + python_usable(python)
    if not hub_running:
        problems += ports(settings)
    problems += accounts(settings, people, state_accounts)
    return problems


def root() -> list[Problem]:
    if os.geteuid() == 0:
        return []
    return [Problem(MISSING, "the classroom creates accounts and starts servers: run it as root "
                             "(sudo make classroom)")]  # fmt: skip


def tools() -> list[Problem]:
    missing = [t for t in ("useradd", "userdel", "groupadd", "groupdel", "chpasswd", "runuser")
               if shutil.which(t) is None]  # fmt: skip
    if not missing:
        return []
    return [Problem(MISSING, f"{', '.join(missing)} not found: install Debian's passwd and "
                             "util-linux packages")]  # fmt: skip


def node(settings: Settings, which=shutil.which) -> list[Problem]:
    """JupyterHub's proxy runs on Node.js; npm installs it (unless it already is)."""
    problems = []
    if not settings.proxy_bin.exists() and which("npm") is None:
        problems.append(Problem(MISSING, "npm not found: JupyterHub's proxy (configurable-http-proxy) "
                                         "is installed with it; install Node.js 20 or newer with npm "
                                         "(apt-get install nodejs npm on Debian 13; Debian 12's "
                                         "Node.js 18 is too old)"))  # fmt: skip
        return problems
    exe = which("node")
    version = _node_major(exe) if exe else None
    if version is None or version < NODE_MAJOR:
        found = f"Node.js {version}" if version else "no Node.js"
        problems.append(Problem(MISSING, f"JupyterHub's proxy needs Node.js {NODE_MAJOR} or newer, "
                                         f"this machine has {found}"))  # fmt: skip
    return problems


def _node_major(exe: str) -> int | None:
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=20).stdout
        return int(out.strip().lstrip("v").split(".")[0])
    except (OSError, ValueError, subprocess.TimeoutExpired):
        return None


def postgresql() -> list[Problem]:
    if postgres.bindir() is None or not (postgres.bindir() / "initdb").exists():
        return [
            Problem(MISSING, "PostgreSQL's server is not installed: apt-get install postgresql")
        ]
    if not system.user_exists(postgres.ADMIN):
        return [Problem(MISSING, "PostgreSQL's binaries are here but not its 'postgres' account: "
                                 "apt-get install postgresql (Debian's package creates it)")]  # fmt: skip
    return []


def python_usable(python: str) -> list[Problem]:
    """The environments' Python: a version the pins install on, with venv, runnable by everyone."""
    code = "import sys, ensurepip, venv; print('%d.%d' % sys.version_info[:2])"
    as_nobody = [system.RUNUSER, "-u", "nobody", "--"] if os.geteuid() == 0 else []
    try:
        out = subprocess.run([*as_nobody, python, "-c", code],
                             capture_output=True, text=True, timeout=60)  # fmt: skip
    except OSError as exc:
        return [Problem(MISSING, f"cannot run {python}: {exc}")]
    if out.returncode != 0:
        if "ensurepip" in out.stderr or "venv" in out.stderr:
            return [
                Problem(MISSING, f"{python} cannot make environments: apt-get install python3-venv")
            ]
        return [Problem(MISSING, f"{python} cannot be run by other accounts (the course environment "
                                 "must be usable by every student): use a system-wide Python")]  # fmt: skip
    version = tuple(int(x) for x in out.stdout.strip().split("."))
    low, high = PYTHON_RANGE
    if not low <= version <= high:
        return [Problem(MISSING, f"{python} is Python {out.stdout.strip()}; the course's pins install "
                                 f"on Python {low[0]}.{low[1]} to {high[0]}.{high[1]}")]  # fmt: skip
    return []


def port_free(ip: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((ip, port))
        except OSError:
            return False
    return True


def ports(settings: Settings) -> list[Problem]:
    problems = []
    for what, port in settings.ports.items():
        ip = settings.ip if port == settings.port else "127.0.0.1"
        if not (0 < port < 65536):
            problems.append(Problem(USAGE, f"port {port} ({what}) is not a port number"))
        elif not port_free(ip, port):
            problems.append(Problem(CONFLICT, f"port {port} ({what}) is in use by another program: "
                                              f"stop it, or choose other ports with PORT=<n> (the "
                                              f"class uses n to n+3)"))  # fmt: skip
    return problems


def accounts(settings: Settings, people: list[Person], ours: set[str]) -> list[Problem]:
    """An existing account is used only if the classroom made it (its state file says so)."""
    problems = []
    for name in [settings.grader] + [p.username for p in people]:
        if system.user_exists(name) and name not in ours:
            problems.append(Problem(CONFLICT, f"a Linux account {name!r} already exists and was not "
                                              "made by the classroom: take it off the roster, or "
                                              "remove the account"))  # fmt: skip
    return problems


def write_access(path: Path) -> bool:
    return os.access(path, os.W_OK)
