"""The files that make the course a class: each role's Jupyter settings, the grader's private copy
of the course and its nbgrader settings, the exchange, and each person's own copy of the lectures.

Which nbgrader extension each role sees (docs/instructor.md §5):

==========================  ========  ===================  ===============
extension                   students  instructors and TAs  grader service
==========================  ========  ===================  ===============
Assignment List, Validate   yes       yes                  Validate only
Course List                 no        yes                  no
Formgrader, Create Assign.  no        no                   yes
==========================  ========  ===================  ===============

Students' and staff's settings live in root-owned folders that their servers use as
``JUPYTER_CONFIG_DIR``; the switched-off extensions are also *locked* there, so neither the
Extension Manager nor ``jupyter labextension enable`` can bring them back.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from classroom import system
from classroom.settings import Settings

LAB = "@jupyter/nbgrader:"
SERVER = "nbgrader.server_extensions."
OFF = {  # role -> (lab plugins, server extensions) switched off
    "student": (["formgrader", "create-assignment", "course-list"], ["formgrader", "course_list"]),
    "staff": (["formgrader", "create-assignment"], ["formgrader"]),
    "grader": (["assignment-list", "course-list"], ["assignment_list", "course_list"]),
}
#: Frame the grader's own pages from its own JupyterLab (JupyterHub's default forbids any frame,
#: which leaves the Formgrader panel blank).
CSP = "frame-ancestors 'self'"


def nbgrader_config(settings: Settings, *, grader: bool) -> str:
    lines = [
        "# Written by make classroom.",
        "c = get_config()  # noqa: F821",
        f"c.CourseDirectory.course_id = {settings.course!r}",
        f"c.Exchange.root = {str(settings.exchange)!r}",
    ]
    if grader:
        lines += [
            f"c.CourseDirectory.root = {str(settings.course_root)!r}",
            "# PostgreSQL through its socket as this account: peer authentication, no password",
            f"c.CourseDirectory.db_url = {settings.db_url!r}",
            "# the log only here: students' nbgrader cannot write to a shared one",
            f"c.NbGrader.logfile = {str(settings.grader_home / 'nbgrader.log')!r}",
        ]
    return "\n".join(lines) + "\n"


def _role_files(role: str) -> dict[str, str]:
    lab, server = OFF[role]
    plugins = {LAB + name: True for name in lab}
    files = {
        "labconfig/page_config.json": json.dumps(
            {"disabledExtensions": plugins, "lockedExtensions": plugins}, indent=1
        ),
        "jupyter_server_config.json": json.dumps(
            {"ServerApp": {"jpserver_extensions": {SERVER + name: False for name in server}}},
            indent=1,
        ),
    }
    return files


def role_settings(settings: Settings) -> None:
    """Students' and staff's JUPYTER_CONFIG_DIR: root-owned, readable, not writable by them."""
    system.folder(settings.root / "jupyter", 0o755)
    for role in ("student", "staff"):
        folder = system.folder(settings.jupyter_dir(role), 0o755)
        files = _role_files(role)
        files["nbgrader_config.py"] = nbgrader_config(settings, grader=False)
        for rel, text in files.items():
            system.folder((folder / rel).parent, 0o755)
            system.write(folder / rel, text + ("" if text.endswith("\n") else "\n"), 0o644)


def grader_settings(settings: Settings) -> None:
    """The grader's own Jupyter folder (600 files in a 700 home)."""
    folder = system.folder(settings.grader_home / ".jupyter", 0o700, owner=settings.grader)
    files = _role_files("grader")
    files["nbgrader_config.py"] = nbgrader_config(settings, grader=True)
    files["jupyter_server_config.py"] = (
        "# Written by make classroom: let the grader's JupyterLab show formgrader in a panel.\n"
        "c = get_config()  # noqa: F821\n"
        f'c.ServerApp.tornado_settings = {{"headers": {{"Content-Security-Policy": "{CSP}"}}}}\n'
    )
    for rel, text in files.items():
        system.folder((folder / rel).parent, 0o700, owner=settings.grader)
        system.write(
            folder / rel, text + ("" if text.endswith("\n") else "\n"), 0o600, owner=settings.grader
        )


def course_files(repo: Path) -> list[Path]:
    """The files of the course (what git tracks, or everything but build products)."""
    if (repo / ".git").exists():
        out = subprocess.run(
            [
                "git",
                "-C",
                str(repo),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard",
            ],
            capture_output=True,
            check=True,
        ).stdout
        return [Path(p.decode()) for p in out.split(b"\0") if p and (repo / p.decode()).is_file()]
    skip = {".venv", ".git", "grades", "artifacts", "site", "dist", "build", "node_modules"}
    return [
        p.relative_to(repo)
        for p in repo.rglob("*")
        if p.is_file() and not (set(p.relative_to(repo).parts) & skip)
    ]


def grader_course(settings: Settings) -> bool:
    """The grader's private copy of the course (instructors edit source/ there, so an existing
    copy is kept); its ``.venv`` is the course environment, so ``make grade`` works in it."""
    target = settings.course_root
    if target.exists():
        return False
    tmp = target.with_name(target.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    for rel in course_files(settings.repo):
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(settings.repo / rel, tmp / rel)
    (tmp / ".venv").symlink_to(settings.env)
    system.chown_tree(tmp, settings.grader)
    os.chmod(tmp, 0o700)
    tmp.rename(target)
    return True


def lectures(settings: Settings, username: str) -> bool:
    """The lectures in ``~/lectures`` of ``username``, unless that folder exists (their work)."""
    target = system.home_of(username) / "lectures"
    if target.exists():
        return False
    tmp = target.with_name(".lectures.partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    for nb in sorted((settings.repo / "lectures").glob("*.ipynb")):
        shutil.copy2(nb, tmp / nb.name)
    system.chown_tree(tmp, username)
    tmp.rename(target)
    return True


def exchange(settings: Settings) -> None:
    """nbgrader's exchange: the root as nbgrader requires it (777, plus the sticky bit so nobody
    removes what others made) and the course's folder owned by the grader, made before anyone
    else could take the name."""
    system.folder(settings.exchange, 0o1777)
    system.folder(settings.exchange / settings.course, 0o755, owner=settings.grader)
