"""Small, explicit operations on the server: commands, accounts, files with their owners and modes.

Each function does one thing and says what it did; nothing here decides *whether* to do it (that
is :mod:`classroom.up`'s job, after :mod:`classroom.preflight` has checked the machine).
"""

from __future__ import annotations

import grp
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import time
from pathlib import Path

#: runuser by its full path: commands may run with an account's PATH, which lacks /usr/sbin
RUNUSER = shutil.which("runuser") or "/usr/sbin/runuser"


class CommandError(RuntimeError):
    """A command the classroom ran failed; the message has its output (never a secret)."""


def run(cmd: list[str], *, user: str | None = None, env=None, cwd=None, input=None):
    """Run ``cmd`` (as ``user`` through ``runuser`` if given); raise :class:`CommandError` if it fails.

    ``input`` goes to standard input, which is how secrets are passed (never on a command line,
    where ``ps`` would show them).
    """
    if user:
        cmd = [RUNUSER, "-u", user, "--", *cmd]
    proc = subprocess.run(
        cmd, env=env, cwd=cwd, input=input, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        shown = " ".join(cmd)
        raise CommandError(
            f"{shown} failed ({proc.returncode}):\n{(proc.stdout + proc.stderr)[-3000:]}"
        )
    return proc


# --------------------------------------------------------------------------- accounts


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def group_members(name: str) -> set[str]:
    try:
        return set(grp.getgrnam(name).gr_mem)
    except KeyError:
        return set()


def create_group(name: str) -> None:
    run(["groupadd", "--system", name])


def create_account(name: str, group: str, comment: str) -> Path:
    """A Linux account with a private home (700) in the classroom's group; returns the home."""
    home = Path("/home") / name
    run(
        ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
         "--groups", group, "--comment", comment, "-K", "UMASK=0077", name]
    )  # fmt: skip
    os.chmod(home, 0o700)
    return home


def set_password(name: str, password: str) -> None:
    run(["chpasswd"], input=f"{name}:{password}\n")


def new_password() -> str:
    """Four short words' worth of randomness, easy to type from a printed sheet."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"  # no l/1/o/0 to misread
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def delete_account(name: str) -> None:
    """Remove the account and its home."""
    kill_user_processes(name)
    run(["userdel", "--remove", name])


def home_of(name: str) -> Path:
    return Path(pwd.getpwnam(name).pw_dir)


def ids_of(name: str) -> tuple[int, int]:
    entry = pwd.getpwnam(name)
    return entry.pw_uid, entry.pw_gid


# --------------------------------------------------------------------------- processes


def processes_of(uids: set[int]) -> list[int]:
    """Pids of every process whose real user is in ``uids`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("Uid:"):
                if int(line.split()[1]) in uids:
                    found.append(int(entry.name))
                break
    return found


def kill_user_processes(name: str, grace: float = 5.0) -> int:
    """Stop every process of account ``name`` (TERM, then KILL after ``grace`` s); how many."""
    if not user_exists(name):
        return 0
    uid = pwd.getpwnam(name).pw_uid
    return stop_pids(processes_of({uid}), grace)


def stop_pids(pids: list[int], grace: float = 5.0) -> int:
    for pid in pids:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    alive = list(pids)
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in alive if _alive(pid)]
    for pid in alive:
        _signal(pid, signal.SIGKILL)
    return len(pids)


def _signal(pid: int, sig) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is as good as gone
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


# --------------------------------------------------------------------------- files


def folder(path: Path, mode: int, owner: str = "root", group: str | None = None) -> Path:
    """``path`` exists as a folder with exactly this owner and mode."""
    path.mkdir(parents=True, exist_ok=True)
    shutil.chown(path, owner, group or _primary_group(owner))
    os.chmod(path, mode)
    return path


def write(path: Path, text: str, mode: int = 0o644, owner: str = "root") -> Path:
    """Write ``text`` to ``path`` with this owner and mode, never readable by others meanwhile."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    shutil.chown(tmp, owner, _primary_group(owner))
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    return path


def chown_tree(path: Path, owner: str) -> None:
    """``owner`` (and their primary group) owns ``path`` and everything in it."""
    uid, gid = ids_of(owner)
    for dirpath, _dirnames, filenames in os.walk(path):
        os.lchown(dirpath, uid, gid)
        for name in filenames:
            os.lchown(os.path.join(dirpath, name), uid, gid)


def _primary_group(owner: str) -> str:
    return grp.getgrgid(pwd.getpwnam(owner).pw_gid).gr_name
