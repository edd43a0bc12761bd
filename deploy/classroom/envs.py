"""The two Python environments and the proxy, each installed once and only from pinned files.

* the **course environment** (``root/env``): ``deploy/requirements-classroom.txt`` (the course's
  ``requirements.txt`` plus ``jupyterhub-singleuser`` and the PostgreSQL driver) and the course
  package, for every account: readable by all, writable by root only;
* the **hub's environment** (``root/hub/venv``): ``deploy/requirements-hub.txt``, root only;
* the **proxy**: ``configurable-http-proxy`` from the npm registry, ``npm ci`` from
  ``deploy/proxy/package-lock.json`` into ``root/hub/proxy``.

pip spends most of its time asking the index about one package after another, so the pinned
wheels are first downloaded into a cache folder by several pip processes at once, then installed
from there without the index. An environment that fails half-way is removed, never left behind.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from classroom.settings import Settings
from classroom.system import CommandError, run

DEPLOY = Path(__file__).resolve().parents[1]
COURSE_REQUIREMENTS = DEPLOY / "requirements-classroom.txt"
HUB_REQUIREMENTS = DEPLOY / "requirements-hub.txt"
PROXY_PACKAGE = DEPLOY / "proxy"
#: The course package builds with this backend (pyproject.toml), offline from the wheelhouse.
BUILD_REQUIREMENTS = ["setuptools==84.2.1"]
STAMP = ".installed-base"  # the Makefile's name for "the pinned set is installed"


def pins(requirements: Path) -> list[str]:
    """Every ``name==version`` in ``requirements``, following ``-r`` includes."""
    found: list[str] = []
    for raw in requirements.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r "):
            found += pins((requirements.parent / line[3:].strip()).resolve())
        elif re.match(r"^[A-Za-z0-9_.\-]+==\S+$", line):
            found.append(line)
        else:
            raise ValueError(f"{requirements}: not an exact pin: {line!r}")
    return found


def download(wanted: list[str], wheels: Path, python: str, jobs: int = 8) -> None:
    """Put a wheel of every pin in ``wanted`` into ``wheels`` (several pip processes at once)."""
    wheels.mkdir(parents=True, exist_ok=True)
    missing = [pin for pin in sorted(set(wanted)) if not _have_wheel(wheels, pin)]
    if not missing:
        return
    chunks = [missing[i::jobs] for i in range(jobs) if missing[i::jobs]]

    def fetch(chunk):
        return subprocess.run(
            [python, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             "--disable-pip-version-check", "--dest", str(wheels), *chunk],
            capture_output=True, text=True,
        )  # fmt: skip

    with ThreadPoolExecutor(max_workers=len(chunks)) as pool:
        for proc in pool.map(fetch, chunks):
            if proc.returncode != 0:
                errors = [ln for ln in proc.stderr.splitlines() if "ERROR" in ln]
                raise CommandError(
                    "pip could not download the pinned packages:\n"
                    + "\n".join(errors or [proc.stderr[-2000:]])
                )


def _have_wheel(wheels: Path, pin: str) -> bool:
    name, version = pin.split("==")
    stem = re.sub(r"[-_.]+", "_", name).lower()
    return any(
        p.name.lower().startswith(f"{stem}-{version}-".lower()) for p in wheels.glob("*.whl")
    )


def venv(path: Path, python: str, requirements: Path, wheels: Path, extra: list[str] = ()) -> None:
    """A virtual environment at ``path`` with exactly the pinned set (from ``wheels``, offline)."""
    if (path / STAMP).exists():
        return
    if path.exists():
        shutil.rmtree(path)  # a half-built one from an interrupted run
    try:
        run([python, "-m", "venv", str(path)])
        pip = [str(path / "bin" / "python"), "-m", "pip", "install", "--quiet", "--no-index",
               "--disable-pip-version-check", "--find-links", str(wheels)]  # fmt: skip
        run([*pip, "-r", str(requirements)])
        for item in extra:
            run([*pip, "--no-deps", item])
        (path / STAMP).touch()
        os.chmod(path, 0o755)
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise


def course_env(settings: Settings, python: str) -> None:
    """The course environment every account uses, with the course package copied in (not linked:
    the checkout may live where students cannot read)."""
    download(pins(COURSE_REQUIREMENTS) + pins(HUB_REQUIREMENTS) + BUILD_REQUIREMENTS,
             settings.wheels, python)  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:  # pip builds in place: keep the checkout clean
        package = Path(tmp) / "rnncourse"
        for name in ("pyproject.toml", "README.md"):
            (package / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(settings.repo / name, package / name)
        shutil.copytree(settings.repo / "rnncourse", package / "rnncourse",
                        ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
        venv(settings.env, python, COURSE_REQUIREMENTS, settings.wheels, extra=[str(package)])
    # JupyterLab's defaults for every account: no news or update checks from a class server
    overrides = settings.env / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides.parent.mkdir(parents=True, exist_ok=True)
    overrides.write_text(json.dumps(LAB_DEFAULTS, indent=1) + "\n", encoding="utf-8")
    os.chmod(overrides, 0o644)


LAB_DEFAULTS = {
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"}
}


def hub_env(settings: Settings, python: str) -> None:
    venv(settings.hub_venv, python, HUB_REQUIREMENTS, settings.wheels)


def proxy(settings: Settings) -> None:
    """configurable-http-proxy, exactly as deploy/proxy/package-lock.json pins it."""
    if settings.proxy_bin.exists():
        return
    target = settings.proxy_dir
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    try:
        for name in ("package.json", "package-lock.json"):
            shutil.copy(PROXY_PACKAGE / name, target / name)
        run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=target)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)
        raise


def python_for_envs() -> str:
    """The interpreter for both environments: Debian's /usr/bin/python3 when it has one (every
    account can run it), else the one running this."""
    return "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable
