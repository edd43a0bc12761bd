"""Where the classroom puts everything, and the names it uses: one object, derived from a few choices.

Everything the classroom creates lives under ``root`` (default ``/srv/rnn-classroom``), except the
Linux accounts and their homes, so ``make classroom-stop PURGE=1`` removes exactly that:

=========================  ======================================================  ======
``root/env/``              the course environment, one for every account             755
``root/jupyter/<role>/``   each role's Jupyter settings (JUPYTER_CONFIG_DIR), locked  755
``root/exchange/``         nbgrader's exchange (``<course>/`` owned by the grader)   1777
``root/postgres/``         the gradebook's PostgreSQL cluster (data 700, socket 750)  755
``root/hub/``              JupyterHub: its environment, proxy, database, secrets,     700
                           log, passwords of new accounts (root only)
=========================  ======================================================  ======

The packages for both environments are downloaded once into ``/var/cache/<root's name>/wheels``.

Ports: the class at ``ip:port``; the proxy's API, the hub and the grader's service on ``port+1``,
``port+2`` and ``port+3``, all on loopback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

#: The repository this module belongs to (deploy/classroom/ -> the checkout).
REPO = Path(__file__).resolve().parents[2]
DEFAULT_ROOT = Path("/srv/rnn-classroom")


def course_id(repo: Path = REPO) -> str:
    """``c.CourseDirectory.course_id`` of the course's ``nbgrader_config.py``."""
    text = (repo / "nbgrader_config.py").read_text(encoding="utf-8")
    match = re.search(r"CourseDirectory\.course_id\s*=\s*[\"']([^\"']+)[\"']", text)
    if not match:
        raise ValueError(f"{repo / 'nbgrader_config.py'} sets no CourseDirectory.course_id")
    return match.group(1)


@dataclass(frozen=True)
class Settings:
    root: Path = DEFAULT_ROOT
    ip: str = "127.0.0.1"
    port: int = 8000
    grader: str = "grader-rnn"
    repo: Path = REPO
    course: str = field(default_factory=course_id)

    # ---------------------------------------------------------------- names
    @property
    def group(self) -> str:
        """The Linux group of every account the classroom created (its marker)."""
        return self.root.name

    @property
    def database(self) -> str:
        return "rnn_gradebook"

    @property
    def formgrade_group(self) -> str:
        """The hub group whose members may open the grader's service (nbgrader's naming)."""
        return f"formgrade-{self.course}"

    # ---------------------------------------------------------------- ports
    @property
    def proxy_api_port(self) -> int:
        return self.port + 1

    @property
    def hub_port(self) -> int:
        return self.port + 2

    @property
    def service_port(self) -> int:
        return self.port + 3

    @property
    def ports(self) -> dict[str, int]:
        return {
            "the class (JupyterHub's proxy)": self.port,
            "the proxy's API": self.proxy_api_port,
            "the hub": self.hub_port,
            "the grader's service": self.service_port,
        }

    @property
    def url(self) -> str:
        return f"http://{self.ip}:{self.port}/"

    # ---------------------------------------------------------------- folders
    @property
    def env(self) -> Path:
        return self.root / "env"

    @property
    def wheels(self) -> Path:
        """Downloaded packages: a cache, kept when a failed run is undone (PURGE removes it)."""
        return Path("/var/cache") / self.root.name / "wheels"

    def jupyter_dir(self, role: str) -> Path:
        """JUPYTER_CONFIG_DIR of students (``student``) and of instructors and TAs (``staff``)."""
        return self.root / "jupyter" / role

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def pg_dir(self) -> Path:
        return self.root / "postgres"

    @property
    def pg_data(self) -> Path:
        return self.pg_dir / "data"

    @property
    def pg_socket_dir(self) -> Path:
        return self.pg_dir / "run"

    @property
    def hub_dir(self) -> Path:
        return self.root / "hub"

    @property
    def hub_venv(self) -> Path:
        return self.hub_dir / "venv"

    @property
    def proxy_dir(self) -> Path:
        return self.hub_dir / "proxy"

    @property
    def proxy_bin(self) -> Path:
        return self.proxy_dir / "node_modules" / ".bin" / "configurable-http-proxy"

    @property
    def hub_log(self) -> Path:
        return self.hub_dir / "jupyterhub.log"

    @property
    def hub_pid(self) -> Path:
        return self.hub_dir / "jupyterhub.pid"

    @property
    def hub_settings(self) -> Path:
        return self.hub_dir / "settings.json"

    @property
    def passwords(self) -> Path:
        return self.hub_dir / "passwords.csv"

    @property
    def state(self) -> Path:
        """What this classroom created (accounts, group), for ``classroom-stop PURGE=1``."""
        return self.root / "classroom.json"

    # ---------------------------------------------------------------- the grader account
    @property
    def grader_home(self) -> Path:
        return Path("/home") / self.grader

    @property
    def course_root(self) -> Path:
        """The grader's private copy of the course: source/, submitted/, autograded/, grades/."""
        return self.grader_home / "rnn-course"

    @property
    def db_url(self) -> str:
        """The gradebook: PostgreSQL over its Unix socket, as the grader (peer authentication,
        so there is no password to keep or leak)."""
        return f"postgresql+psycopg2://{self.grader}@/{self.database}?host={self.pg_socket_dir}"

    # ---------------------------------------------------------------- environments
    @property
    def path(self) -> str:
        return f"{self.env / 'bin'}:/usr/local/bin:/usr/bin:/bin"

    def grader_env(self) -> dict[str, str]:
        """The grader service's environment, and so its terminal's: where an instructor runs
        ``nbgrader collect``, ``make grade`` and ``make classroom-gradebook``."""
        return {
            "PATH": self.path,
            "JUPYTER_CONFIG_DIR": str(self.grader_home / ".jupyter"),
            "JUPYTERHUB_DEFAULT_URL": "/lab",
            # `make grade` imports the course package from this copy (its source/, its config)
            "PYTHONPATH": str(self.course_root),
            # ... and runs the course environment by its own path (not the copy's .venv link),
            # which the grader's sandbox can see
            "MAKEFLAGS": f"VENV={self.env}",
            "LANG": "C.UTF-8",
        }

    def user_env(self, role: str, home: Path) -> dict[str, str]:
        """A student's (``student``) or an instructor's or TA's (``staff``) server environment."""
        return {
            "PATH": self.path,
            # root-owned and read-only: what a role may enable is not the user's to change
            "JUPYTER_CONFIG_DIR": str(self.jupyter_dir(role)),
            "JUPYTERLAB_SETTINGS_DIR": str(home / ".jupyter" / "lab" / "user-settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(home / ".jupyter" / "lab" / "workspaces"),
            "LANG": "C.UTF-8",
        }
