"""The course as students and instructors meet it: JupyterLab in a real (headless) browser.

These tests start JupyterLab on loopback from the course's own environment, on a temporary copy of
the course, and drive Debian's Chromium (``/usr/bin/chromium``) with Playwright. They run every
lecture, move every slider, press nbgrader's Validate button and open formgrader. Screenshots of
each page land in ``artifacts/browser/`` (ignored by git), with each page's console log and a
record of any dialog the tests dismissed or Run All they repeated.

Without Chromium they are skipped, and say so; in CI (``CI=true``) a skip is a failure, because
``.ci/run`` installs Chromium first.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import IN_CI, REPO, VENV_BIN
from rnncourse import notebooks, site

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = REPO / "artifacts" / "browser"
TOKEN = "course-browser-tests"


def _why_not_available() -> str | None:
    if not CHROMIUM.exists():
        return f"Chromium not found at {CHROMIUM} (install it with: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (make test installs the test extra)"
    return None


_missing = _why_not_available()
if _missing:
    if IN_CI:
        raise RuntimeError(f"browser tests are required in CI: {_missing}")
    pytest.skip(f"browser tests skipped: {_missing}", allow_module_level=True)

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

pytestmark = pytest.mark.browser
LECTURES = notebooks.lectures(REPO)
WITH_SLIDERS = [lec for lec in LECTURES if "_widget(" in lec.path.read_text(encoding="utf-8")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """A throw-away copy of the course, so running cells and validating change nothing here."""
    root = tmp_path_factory.mktemp("course")
    for folder in ("lectures", "exercises", "solutions", "source"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    for name in ("nbgrader_config.py", "README.md"):
        shutil.copy(REPO / name, root / name)
    return root


#: JupyterLab settings of the test server (JupyterLab ignores a whole file it cannot validate,
#: so ``test_jupyterlab_took_the_test_settings`` reads them back).
SETTINGS = {
    # Render every cell (no virtual scrolling), so what a test looks for is in the page; and
    # start a notebook's preferred kernel without asking, even while other kernels run.
    "notebook-extension/tracker.jupyterlab-settings": json.dumps(
        {"windowingMode": "none", "autoStartDefaultKernel": True}
    ),
    "apputils-extension/notification.jupyterlab-settings": json.dumps({"fetchNews": "false"}),
}


@pytest.fixture(scope="module")
def lab(course, tmp_path_factory):
    """JupyterLab serving the course copy on loopback; yields its base URL."""
    home = tmp_path_factory.mktemp("home")
    settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
    for rel, content in SETTINGS.items():
        (settings / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings / rel).write_text(content)
    port = _free_port()
    env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / ".jupyter"))
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    log = open(home / "lab.log", "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [
            str(VENV_BIN / "jupyter"), "lab", "--no-browser", "--allow-root",
            "--ip=127.0.0.1", f"--port={port}", f"--ServerApp.token={TOKEN}",
            f"--ServerApp.root_dir={course}",
        ],
        cwd=course, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((home / "lab.log").read_text()[-3000:]) from None
                time.sleep(0.5)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(f"{time.strftime('%H:%M:%S')} {m.type}: {m.text}"))
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    (ARTIFACTS / f"console-{name}.txt").write_text("\n".join(console))
    context.close()


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on show


def open_notebook(page, base: str, relpath: str) -> None:
    """Open ``relpath`` alone, in a new (empty) workspace, and wait until its kernel is idle."""
    workspace = "t" + str(abs(hash((relpath, time.monotonic()))))
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/{relpath}?token={TOKEN}")
    page.wait_for_selector(f"{PANEL} .jp-Cell", timeout=90_000)
    page.wait_for_selector(
        f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000
    )


DIALOG_LOG = ARTIFACTS / "dialogs.txt"


def dismiss_dialogs(page) -> None:
    """Accept any dialog JupyterLab put up (e.g. a kernel choice), noting its text for the record."""
    dialog = page.locator(".jp-Dialog")
    for _ in range(10):
        if not dialog.count():
            return
        text = " ".join(dialog.first.inner_text().split())
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        with DIALOG_LOG.open("a") as log:
            log.write(f"{page.url}: {text}\n")
        choice = dialog.first.locator("select")
        if choice.count():  # a kernel choice: this notebook's running kernel, else a new one
            name = Path(page.url.split("?")[0]).name
            labels = choice.first.locator("option").all_inner_texts()
            mine = [label for label in labels if label.startswith(f"{name} (")]
            try:
                choice.first.select_option(
                    label=(mine or ["Python 3 (ipykernel)"])[0], timeout=5_000
                )
            except PlaywrightError:
                pass  # no such option: accept what JupyterLab proposes
        dialog.first.locator(".jp-Dialog-button.jp-mod-accept").first.click()
        page.wait_for_timeout(1000)
    assert not dialog.count(), f"a dialog would not close: {DIALOG_LOG.read_text()[-300:]}"


STARTED = re.compile(r"\[(\*|\d+)\]")  # a prompt of a queued, running or finished cell


def run_all_cells(page, timeout_s: float = 180) -> None:
    """Run → Run All Cells, and wait until every cell has run (or one has failed).

    Two things go wrong in JupyterLab on a loaded machine, never in the lectures: a click that
    lands while the kernel is still connecting can be lost, and a Run All can stop after its
    first cell with no error (the rest never queued). Either way nothing runs and nothing failed,
    so Run All is given again, at most twice; an error, or cells that never run, still fail.
    """
    prompts = page.locator(f"{PANEL} .jp-InputPrompt")
    deadline = time.monotonic() + timeout_s
    for attempt in range(3):
        if attempt:  # noted for the record, like the dialogs
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            with (ARTIFACTS / "run-all-retries.txt").open("a") as log:
                log.write(f"{page.url}: Run All again (attempt {attempt + 1})\n")
        _click_run_all(page, prompts)
        if _wait_until_settled(page, prompts, deadline):
            return
    states = [" ".join(t.split()) for t in prompts.all_inner_texts() if t.strip()]
    raise AssertionError(f"Run All left cells unrun three times: {states}")


def _click_run_all(page, prompts) -> None:
    for _ in range(3):
        dismiss_dialogs(page)
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            expect(prompts.filter(has_text=STARTED).first).to_be_visible(timeout=15_000)
            return
        except AssertionError:
            page.keyboard.press("Escape")  # close a menu left open, then try again
    raise AssertionError("Run All Cells never started a cell")


def _wait_until_settled(page, prompts, deadline: float) -> bool:
    """True once every cell has run or one failed; False if cells wait with nothing running.

    Each state must hold for several polls: between two cells the kernel is idle for a moment.
    """
    done = stalled = 0
    while done < 2 and stalled < 20:
        if time.monotonic() > deadline:
            screenshot(page, "timeout-" + Path(page.url.split("?")[0]).stem)
            states = [" ".join(t.split()) for t in prompts.all_inner_texts() if t.strip()]
            raise AssertionError(f"cells still running after the time limit: {states}")
        page.wait_for_timeout(500)
        running = (
            prompts.filter(has_text="[*]").count()
            or page.locator(f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='busy']").count()
        )
        unrun = prompts.filter(has_text="[ ]").count() and not error_outputs(page)
        done = 0 if running or unrun else done + 1
        stalled = stalled + 1 if unrun and not running else 0
    return done >= 2


def error_outputs(page) -> list[str]:
    stderr = page.locator(
        f"{PANEL} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    ).all_inner_texts()
    return [t[:300] for t in stderr if "Traceback" in t or "Error" in t]


WIDGET_ERROR = "Error displaying widget"


@pytest.mark.parametrize("lecture", LECTURES, ids=[lec.path.name for lec in LECTURES])
def test_lecture_runs_in_jupyterlab_with_every_widget_rendered(page, lab, lecture):
    open_notebook(page, lab, f"lectures/{lecture.path.name}")
    run_all_cells(page)
    if page.get_by_text(WIDGET_ERROR).count():
        # On a loaded machine JupyterLab sometimes restarts a new kernel's connection just as
        # the lecture starts (seen once in CI: two WebSockets, "widget model not found"); a
        # widget's opening message can be lost in between. Noted for the record, the lecture
        # runs once more in a fresh workspace: a widget that fails twice fails the test.
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        with (ARTIFACTS / "widget-retries.txt").open("a") as log:
            log.write(f"{page.url}: {WIDGET_ERROR}; the lecture runs again\n")
        open_notebook(page, lab, f"lectures/{lecture.path.name}")
        run_all_cells(page)
    assert page.locator(f"{PANEL} .jp-InputPrompt", has_text="[*]").count() == 0
    unrun = page.locator(f"{PANEL} .jp-InputPrompt", has_text="[ ]").count()
    assert unrun == 0, f"{unrun} cells not run; errors: {error_outputs(page)}"
    assert error_outputs(page) == []
    assert page.get_by_text(WIDGET_ERROR).count() == 0
    assert page.locator(f"{PANEL} .jp-OutputArea-output img").count() >= 2, "no figures"
    if lecture in WITH_SLIDERS:
        expect(page.locator(f"{PANEL} .widget-slider").first).to_be_visible(timeout=20_000)
        assert page.get_by_text("Loading widget...").count() == 0
    page.locator(f"{PANEL} .jp-Cell").first.scroll_into_view_if_needed()
    screenshot(page, lecture.path.stem)


@pytest.mark.parametrize("lecture", WITH_SLIDERS, ids=[lec.path.name for lec in WITH_SLIDERS])
def test_moving_a_slider_redraws_the_figure(page, lab, lecture):
    open_notebook(page, lab, f"lectures/{lecture.path.name}")
    run_all_cells(page)
    interacts = page.locator(f"{PANEL} .widget-interact")
    assert interacts.count() >= 1, "no slider widget rendered"
    for i in range(interacts.count()):
        widget = interacts.nth(i)
        widget.scroll_into_view_if_needed()
        image = widget.locator(".widget-output img").first
        expect(image).to_be_visible(timeout=20_000)
        before = image.get_attribute("src")
        handle = widget.locator(".noUi-handle").first
        handle.focus()
        for _ in range(3):
            handle.press("ArrowRight")
        page.wait_for_timeout(300)
        handle.press("ArrowLeft" if i % 2 else "ArrowRight")  # a release triggers the redraw
        expect(widget.locator(".widget-output img").first).not_to_have_attribute(
            "src", before, timeout=20_000
        )
        page.wait_for_timeout(1500)  # let the last redraw land before the picture
        screenshot(page, f"{lecture.path.stem}-slider-{i + 1}")


@pytest.mark.parametrize("lecture", WITH_SLIDERS, ids=[lec.path.name for lec in WITH_SLIDERS])
def test_every_slider_handle_is_named_after_its_description(page, lab, lecture):
    """A screen reader on a handle hears what the slider moves (rnncourse.widgets names them)."""
    open_notebook(page, lab, f"lectures/{lecture.path.name}")
    run_all_cells(page)
    sliders = page.locator(f"{PANEL} .widget-slider")
    expect(sliders.first).to_be_visible(timeout=20_000)
    assert page.locator(f"{PANEL} .noUi-handle").count() == sliders.count()
    for i in range(sliders.count()):
        description = sliders.nth(i).locator(".widget-label").inner_text().strip()
        assert description, f"slider {i + 1} has no description"
        handle = sliders.nth(i).locator(".noUi-handle")
        expect(handle).to_have_accessible_name(description, timeout=10_000)
        assert handle.get_attribute("role") == "slider"
    naming = page.locator(f"{PANEL} .jp-RenderedJavaScript")  # the script that names them
    assert naming.count() == page.locator(f"{PANEL} .widget-interact").count()
    for i in range(naming.count()):
        expect(naming.nth(i)).to_be_hidden()
    assert page.get_by_text("Javascript Error").count() == 0


EX1 = "exercises/ex1-forward/ex1-forward.ipynb"


def validate(page) -> str:
    """Press nbgrader's Validate button; return the class of the result ('success'/'failed')."""
    page.locator(f"{PANEL} .jp-NotebookPanel-toolbar").get_by_text("Validate", exact=True).click()
    message = page.locator("#validation-message")
    expect(message).to_be_visible(timeout=120_000)
    classes = message.get_attribute("class") or ""
    return "success" if "validation-success" in classes else "failed"


def test_validate_reports_failures_on_the_untouched_exercise(page, lab, course):
    assert (course / EX1).exists(), "the student version of ex1-forward is missing"
    open_notebook(page, lab, EX1)
    assert validate(page) == "failed"
    screenshot(page, "ex1-forward-validate-untouched")


def solve(student: Path, solution: Path, out: Path) -> None:
    """Write ``out``: the student version with every answer cell filled in from the solution."""
    answers = {
        c.metadata["nbgrader"]["grade_id"]: c.source
        for c in notebooks.read(solution).cells
        if c.metadata.get("nbgrader", {}).get("solution")
    }
    nb = notebooks.read(student)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            cell.source = answers[meta["grade_id"]]
    notebooks.write(nb, out)


def test_validate_passes_on_a_solved_exercise(page, lab, course):
    solve(
        course / EX1,
        course / "solutions" / "ex1-forward" / "ex1-forward.ipynb",
        course / "exercises" / "ex1-forward" / "ex1-forward-solved.ipynb",
    )
    open_notebook(page, lab, "exercises/ex1-forward/ex1-forward-solved.ipynb")
    assert validate(page) == "success"
    screenshot(page, "ex1-forward-validate-solved")


def test_formgrader_lists_every_assignment(page, lab, course):
    assignments = sorted(p.name for p in (course / "source").iterdir() if p.is_dir())
    assert "ex1-forward" in assignments
    page.goto(f"{lab}/formgrader?token={TOKEN}")
    for assignment in assignments:
        expect(page.get_by_text(assignment, exact=True).first).to_be_visible(timeout=60_000)
    screenshot(page, "formgrader")


def test_the_html_edition_draws_its_formulas_offline(browser, tmp_path):
    """A page of `make html`, opened from disk with the network off, typesets its formulas."""
    lecture = LECTURES[1]  # the EWMA: formulas inline and displayed
    site.build(tmp_path / "site", [lecture.path])
    context = browser.new_context(offline=True, viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto((tmp_path / "site" / f"{lecture.path.stem}.html").as_uri())
        formulas = page.locator("span.MathJax")
        expect(formulas.first).to_be_visible(timeout=30_000)
        page.wait_for_function(  # MathJax's queue is empty: every formula is typeset
            "window.MathJax && MathJax.Hub.queue.pending === 0 && !MathJax.Hub.queue.running",
            timeout=30_000,
        )
        assert formulas.count() >= 20
        assert page.locator(".MathJax_Error, .merror").count() == 0
        assert page.get_by_text("Math Processing Error").count() == 0
        screenshot(page, f"site-{lecture.path.stem}")
    finally:
        context.close()


def test_jupyterlab_took_the_test_settings(lab):
    """The settings above are valid for this JupyterLab (an invalid file is silently ignored)."""
    request = urllib.request.Request(
        f"{lab}/lab/api/settings/@jupyterlab/notebook-extension:tracker",
        headers={"Authorization": f"token {TOKEN}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        composite = json.load(response)["settings"]
    assert composite["autoStartDefaultKernel"] is True
    assert composite["windowingMode"] == "none"
