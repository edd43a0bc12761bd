"""Shared fixtures and paths for the course's tests."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # tests draw figures without a screen

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test starts and ends with no open figure, so one test's plot never leaks into another."""
    import matplotlib.pyplot as plt

    yield
    plt.close("all")


def pytest_terminal_summary(terminalreporter):
    """Print how long each notebook took to run headless (recorded by test_execute_notebooks)."""
    rows = []
    for report in terminalreporter.stats.get("passed", []) + terminalreporter.stats.get(
        "failed", []
    ):
        for key, value in getattr(report, "user_properties", []):
            if key == "notebook_seconds" and report.when == "call":
                rows.append((report.nodeid.split("[", 1)[-1].rstrip("]"), value))
    if rows:
        terminalreporter.section("notebook run times (headless, fresh kernel)")
        for name, seconds in sorted(rows):
            terminalreporter.write_line(f"{seconds:6.1f} s  {name}")
        terminalreporter.write_line(f"{sum(s for _, s in rows):6.1f} s  total")
