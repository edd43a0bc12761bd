"""JupyterHub for the class: its settings file, and starting and stopping it in the background.

The hub runs as root (it must start servers as other accounts and check passwords with PAM),
from its own environment, on loopback; it starts the proxy and the grader's service itself and
stops them, and every user server, when it stops. Its log is ``root/hub/jupyterhub.log`` (600).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

from classroom import system
from classroom.roster import Person
from classroom.settings import REPO, Settings

CONFIG = REPO / "deploy" / "jupyterhub_config.py"


def hub_settings(settings: Settings, people: list[Person]) -> dict:
    """What deploy/jupyterhub_config.py reads: everything that varies between classes."""
    user_env = {
        p.username: settings.user_env("staff" if p.staff else "student", system.home_of(p.username))
        for p in people
    }
    return {
        "ip": settings.ip,
        "port": settings.port,
        "hub_port": settings.hub_port,
        "proxy_api_port": settings.proxy_api_port,
        "hub_dir": str(settings.hub_dir),
        "proxy_bin": str(settings.proxy_bin),
        "singleuser": str(settings.env / "bin" / "jupyterhub-singleuser"),
        "course": settings.course,
        "formgrade_group": settings.formgrade_group,
        "users": [p.username for p in people],
        "staff": [p.username for p in people if p.staff],
        "students": [p.username for p in people if not p.staff],
        "user_env": user_env,
        "service": {
            "port": settings.service_port,
            "user": settings.grader,
            "cwd": str(settings.course_root),
            "command": [
                str(settings.env / "bin" / "jupyterhub-singleuser"),
                f"--ServerApp.root_dir={settings.course_root}",
            ],
            "environment": settings.grader_env(),
        },
    }


def write_settings(settings: Settings, people: list[Person]) -> bool:
    """Write the hub's settings; True if they changed (a running hub must restart to see them)."""
    text = json.dumps(hub_settings(settings, people), indent=1, sort_keys=True) + "\n"
    path = settings.hub_settings
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    system.write(path, text, 0o600)
    return True


def running(settings: Settings) -> int | None:
    """The hub's pid if it runs, else None."""
    try:
        pid = int(settings.hub_pid.read_text().strip())
    except (OSError, ValueError):
        return None
    if not system._alive(pid):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    return pid if b"jupyterhub" in cmdline else None


def start(settings: Settings, timeout: float = 120) -> int:
    """Start the hub in the background and wait until it answers; return its pid."""
    env = {
        "PATH": f"{settings.hub_venv / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "CLASSROOM_SETTINGS": str(settings.hub_settings),
        "LANG": "C.UTF-8",
        "HOME": str(settings.hub_dir),
    }
    fd = os.open(settings.hub_log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.chmod(settings.hub_log, 0o600)
    try:
        proc = subprocess.Popen(
            [str(settings.hub_venv / "bin" / "jupyterhub"), "--config", str(CONFIG)],
            cwd=settings.hub_dir, env=env, stdin=subprocess.DEVNULL, stdout=fd, stderr=fd,
            start_new_session=True,  # outlives `make classroom`; stopped by classroom-stop
        )  # fmt: skip
    finally:
        os.close(fd)
    system.write(settings.hub_pid, f"{proc.pid}\n", 0o600)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise system.CommandError(
                f"JupyterHub stopped at start (exit {proc.returncode}); the end of its log:\n"
                + tail(settings.hub_log)
            )
        if answers(settings):
            return proc.pid
        time.sleep(0.5)
    raise system.CommandError(
        f"JupyterHub did not answer within {timeout:.0f} s; the end of its log:\n"
        + tail(settings.hub_log)
    )


def answers(settings: Settings) -> bool:
    """The hub answers through its proxy."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{settings.port}/hub/api", timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, OSError):
        return False


def service_answers(settings: Settings) -> bool:
    """The grader's service (formgrader) has started and answers on its port."""
    url = f"http://127.0.0.1:{settings.service_port}/services/{settings.course}/api"
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except urllib.error.HTTPError as exc:
        return exc.code < 500
    except (urllib.error.URLError, OSError):
        return False


def wait_for_service(settings: Settings, timeout: float = 120) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service_answers(settings):
            return True
        time.sleep(0.5)
    return False


def stop(settings: Settings, timeout: float = 30) -> bool:
    """Stop the hub (it stops its proxy, its service and every user server); True if it ran."""
    pid = running(settings)
    if pid is None:
        settings.hub_pid.unlink(missing_ok=True)
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while system._alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if system._alive(pid):
        os.kill(pid, signal.SIGKILL)
    settings.hub_pid.unlink(missing_ok=True)
    # the proxy is the hub's child; should the hub have died hard, stop it too
    try:
        proxy = int((settings.hub_dir / "proxy.pid").read_text().strip())
        if b"configurable-http-proxy" in Path(f"/proc/{proxy}/cmdline").read_bytes():
            system.stop_pids([proxy])
    except (OSError, ValueError):
        pass
    return True


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
