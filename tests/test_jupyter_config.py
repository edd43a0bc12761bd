"""`make lab` opens the student's JupyterLab: nbgrader's Validate button and nothing an instructor
uses, no news prompt, and lectures that open unmodified; `make lab-instructor` keeps the tools."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, VENV_BIN
from rnncourse import notebooks

NBGRADER_LAB = REPO / ".venv" / "share" / "jupyter" / "labextensions" / "@jupyter" / "nbgrader"
INSTRUCTOR_PLUGINS = {
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
}
EXCHANGE_PLUGINS = {"@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:menu"}
NEWS = "@jupyterlab/apputils-extension:announcements"
TOKEN = "course-config-tests"


def lab_command(*make_args: str) -> tuple[str, list[str]]:
    """The jupyter command line a Makefile target runs, and the JUPYTER_CONFIG_PATH it sets."""
    dry_run = subprocess.run(
        ["make", "--no-print-directory", "-n", *make_args],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    command = [line for line in dry_run.stdout.splitlines() if "jupyter lab" in line][-1]
    config = re.search(r'JUPYTER_CONFIG_PATH="([^$"]+)', command).group(1).split(os.pathsep)
    return command, config


def isolated_env(tmp_path: Path, config_path: list[str]) -> dict[str, str]:
    """An environment in which only the course's settings and the venv's count, not the user's."""
    env = dict(os.environ, JUPYTER_CONFIG_PATH=os.pathsep.join(config_path))
    env.update(HOME=str(tmp_path), JUPYTER_CONFIG_DIR=str(tmp_path / ".jupyter"))
    env.update(JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"), JUPYTER_DATA_DIR=str(tmp_path / "d"))
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    return env


def disabled_lab_plugins(monkeypatch, tmp_path: Path, config_path: list[str]) -> set[str]:
    """The plugins JupyterLab's page config disables under ``config_path`` (what the server sends
    to the browser, and what ``jupyter labextension list`` reports as "Disabled extensions")."""
    from jupyter_core.paths import jupyter_path
    from jupyterlab_server.config import get_page_config

    for name, value in isolated_env(tmp_path, config_path).items():
        if name.startswith("JUPYTER_"):
            monkeypatch.setenv(name, value)
    settings = REPO / ".venv" / "share" / "jupyter" / "lab" / "settings"
    page_config = get_page_config(jupyter_path("labextensions"), str(settings))
    return set(page_config["disabledExtensions"])


def test_the_plugins_named_in_the_configuration_exist_in_the_installed_nbgrader():
    built = "".join(p.read_text(errors="replace") for p in NBGRADER_LAB.glob("static/*.js"))
    for plugin in INSTRUCTOR_PLUGINS | EXCHANGE_PLUGINS | {"@jupyter/nbgrader:validate-assignment"}:
        assert f'"{plugin}"' in built, f"nbgrader has no plugin {plugin}: update jupyter-config/"


def test_student_view_disables_exactly_the_instructor_tools_the_assignment_list_and_news(
    monkeypatch, tmp_path
):
    command, config = lab_command("lab", "EXCHANGE=/nonexistent")
    assert [Path(p).relative_to(REPO).as_posix() for p in config] == [
        "jupyter-config/student",
        "jupyter-config/course",
    ]
    assert disabled_lab_plugins(
        monkeypatch, tmp_path, config
    ) == INSTRUCTOR_PLUGINS | EXCHANGE_PLUGINS | {NEWS}


def test_where_an_exchange_exists_students_also_get_the_assignment_list(monkeypatch, tmp_path):
    exchange = tmp_path / "exchange"
    exchange.mkdir()
    _, config = lab_command("lab", f"EXCHANGE={exchange}")
    assert Path(config[0]).relative_to(REPO).as_posix() == "jupyter-config/exchange"
    assert disabled_lab_plugins(monkeypatch, tmp_path, config) == INSTRUCTOR_PLUGINS | {NEWS}


def test_instructor_view_keeps_every_nbgrader_tool(monkeypatch, tmp_path):
    _, config = lab_command("lab-instructor")
    assert [Path(p).relative_to(REPO).as_posix() for p in config] == ["jupyter-config/course"]
    assert disabled_lab_plugins(monkeypatch, tmp_path, config) == {NEWS}


# --------------------------------------------------------------------------- a running server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _status(url: str, method: str = "GET") -> int:
    request = urllib.request.Request(
        url, method=method, headers={"Authorization": f"token {TOKEN}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError:
        return 0  # not listening yet


@pytest.fixture(scope="module")
def student_lab(tmp_path_factory):
    """JupyterLab as `make lab` starts it (no exchange), on loopback; yields its base URL."""
    home = tmp_path_factory.mktemp("home")
    _, config = lab_command("lab", "EXCHANGE=/nonexistent")
    port = _free_port()
    log = open(home / "lab.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            str(VENV_BIN / "jupyter"), "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
            f"--port={port}", f"--ServerApp.token={TOKEN}", f"--ServerApp.root_dir={REPO}",
        ],
        cwd=REPO, env=isolated_env(home, config), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while _status(f"{base}/api/status") != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((home / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.mark.slow
def test_student_server_offers_validate_but_no_formgrader_or_exchange(student_lab):
    assert _status(f"{student_lab}/assignments/validate", "POST") != 404  # Validate's handler
    for instructor_or_exchange in ("formgrader", "formgraders", "assignments", "courses"):
        assert _status(f"{student_lab}/{instructor_or_exchange}") == 404, instructor_or_exchange


@pytest.mark.slow
def test_student_page_config_disables_what_the_configuration_says(student_lab):
    request = urllib.request.Request(f"{student_lab}/lab?token={TOKEN}")
    with urllib.request.urlopen(request, timeout=30) as response:
        page = response.read().decode()
    data = re.search(
        r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', page, re.S
    )
    disabled = set(json.loads(data.group(1))["disabledExtensions"])
    assert disabled == INSTRUCTOR_PLUGINS | EXCHANGE_PLUGINS | {NEWS}


@pytest.mark.slow
def test_a_lecture_opens_with_the_language_info_its_kernel_will_report(student_lab):
    """JupyterLab marks a notebook modified unless the kernel's language_info equals the file's."""
    lecture = notebooks.lectures(REPO)[0].path.relative_to(REPO).as_posix()
    request = urllib.request.Request(
        f"{student_lab}/api/contents/{lecture}", headers={"Authorization": f"token {TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        model = json.load(response)
    assert model["content"]["metadata"]["language_info"] == notebooks.kernel_language_info()
    on_disk = notebooks.read(REPO / lecture)
    assert [c["source"] for c in model["content"]["cells"]] == [c.source for c in on_disk.cells]
