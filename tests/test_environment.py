"""The pip and conda routes install the same packages at the same versions."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from conftest import REPO

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;#]+)$")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines) -> dict[str, str]:
    found = {}
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("-e"):
            continue
        match = PIN.match(line)
        assert match, f"not an exact pin: {line!r}"
        found[_norm(match.group(1))] = match.group(2)
    return found


def requirements_pins() -> dict[str, str]:
    return pins((REPO / "requirements.txt").read_text().splitlines())


def environment_pins() -> dict[str, str]:
    text = (REPO / "environment.yml").read_text().splitlines()
    start = next(i for i, ln in enumerate(text) if ln.strip() == "- pip:")
    return pins(ln.strip()[2:] for ln in text[start + 1 :] if ln.strip().startswith("- "))


def test_requirements_pin_every_package_exactly():
    found = requirements_pins()
    for name in ("jupyterlab", "nbgrader", "ipywidgets", "numpy", "matplotlib", "tqdm"):
        assert name in found, f"requirements.txt does not pin {name}"
    assert found["nbgrader"] == "0.9.6"
    assert found["jupyterlab"].startswith("4.") and found["ipywidgets"].startswith("8.")


def test_environment_yml_matches_requirements():
    req, env = requirements_pins(), environment_pins()
    only_req = sorted(set(req) - set(env))
    only_env = sorted(set(env) - set(req))
    differ = sorted(n for n in set(req) & set(env) if req[n] != env[n])
    assert not (only_req or only_env or differ), (
        f"requirements.txt and environment.yml disagree: only in requirements {only_req}, "
        f"only in environment.yml {only_env}, different versions {differ}"
    )


def test_pins_parser_rejects_loose_versions():
    with pytest.raises(AssertionError, match="not an exact pin"):
        pins(["numpy>=1.26"])


def test_test_tools_stay_out_of_the_student_set():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    test_extra = {_norm(PIN.match(p).group(1)) for p in project["optional-dependencies"]["test"]}
    assert {"pytest", "ruff"} <= test_extra
    assert not test_extra & set(requirements_pins()), "a test-only tool is in requirements.txt"


# --------------------------------------------------------------------------- which Pythons


def named_pythons() -> tuple[str, str]:
    """The Python range the README names, e.g. ``("3.11", "3.14")``."""
    match = re.search(r"You need Python (3\.\d+) to (3\.\d+)", (REPO / "README.md").read_text())
    assert match, "the README no longer says which Pythons the course needs ('Python X to Y')"
    return match.group(1), match.group(2)


def test_readme_makefile_and_requirements_name_the_same_pythons():
    low, high = named_pythons()
    makefile = (REPO / "Makefile").read_text()
    assert f"PYTHON_MIN := {low}\n" in makefile and f"PYTHON_MAX := {high}\n" in makefile
    assert f"CPython {low} to {high}" in (REPO / "requirements.txt").read_text()
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == f">={low}"


#: pip's --platform tags for Linux on x86-64 (macOS and Windows wheels were checked by hand, see
#: requirements.txt: asking pip for every platform too would take minutes on every test run)
LINUX = ["manylinux_2_28_x86_64", "manylinux_2_17_x86_64", "manylinux2014_x86_64"]


def _debian_python() -> str | None:
    """The exact version of Debian's /usr/bin/python3 (3.11.2 on Debian 12), if this machine has one."""
    import subprocess

    if not Path("/usr/bin/python3").exists():
        return None
    out = subprocess.run(
        ["/usr/bin/python3", "-c", "import sys; print('%d.%d.%d' % sys.version_info[:3])"],
        capture_output=True,
        text=True,
    )
    return out.stdout.strip() or None


def _pip_finds_every_pin(version: str) -> str:
    """'' if pip finds a Linux wheel of every pin for CPython ``version``, else why not."""
    import subprocess
    import sys
    import tempfile

    tags = [arg for tag in LINUX for arg in ("--platform", tag)]
    with tempfile.TemporaryDirectory() as target:
        proc = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
             "--no-deps", "--only-binary=:all:", "--implementation", "cp",
             "--python-version", version, *tags, "--target", target,
             "-r", str(REPO / "requirements.txt")],
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip
    if proc.returncode == 0:
        return ""
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("ERROR")]
    return " ".join(lines)[-400:] or proc.stderr[-400:]


def _index_reachable() -> bool:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", "soupsieve"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    return proc.returncode == 0


@pytest.mark.slow
def test_pinned_set_installs_on_every_python_the_readme_names():
    """pip, asked for the oldest and the newest CPython the README names on Linux, finds a wheel of
    every pin (so `make lab` needs no compiler); so it does for Debian's /usr/bin/python3 (3.11.2)."""
    from concurrent.futures import ThreadPoolExecutor

    from conftest import IN_CI

    if not _index_reachable():
        if IN_CI:
            raise AssertionError("the package index cannot be reached, but CI must check the pins")
        pytest.skip("the package index cannot be reached")
    low, high = named_pythons()
    # The two ends of the range (the middle ones were checked by hand, 2026-11: asking pip costs
    # half a minute per version) and Debian's own Python at its exact patch level.
    versions = [low, high]
    debian = _debian_python()
    if debian and debian not in versions:
        versions.append(debian)
    with ThreadPoolExecutor(max_workers=len(versions)) as pool:
        failures = {
            v: why
            for v, why in zip(versions, pool.map(_pip_finds_every_pin, versions), strict=True)
            if why
        }
    assert not failures, f"the pinned set does not install on every named Python: {failures}"
