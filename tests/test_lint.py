"""ruff lints and checks the formatting of every Python file and notebook."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import REPO, VENV_BIN


def ruff():
    path = VENV_BIN / "ruff"
    return str(path) if path.exists() else shutil.which("ruff")


@pytest.mark.parametrize("args", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_clean(args):
    exe = ruff()
    assert exe, "ruff is not installed: run `make test`, which installs the test extra"
    result = subprocess.run([exe, *args, "."], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
