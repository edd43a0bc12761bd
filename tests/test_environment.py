"""The pip and conda routes install the same packages at the same versions."""

from __future__ import annotations

import re
import tomllib

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
    import pytest

    with pytest.raises(AssertionError, match="not an exact pin"):
        pins(["numpy>=1.26"])


def test_test_tools_stay_out_of_the_student_set():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    test_extra = {_norm(PIN.match(p).group(1)) for p in project["optional-dependencies"]["test"]}
    assert {"pytest", "ruff"} <= test_extra
    assert not test_extra & set(requirements_pins()), "a test-only tool is in requirements.txt"
