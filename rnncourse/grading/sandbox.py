"""Where a student's kernel runs: a bubblewrap sandbox, with limits for everything it starts.

:func:`command` wraps a kernel's command line in bubblewrap (``bwrap``, Debian's
``bubblewrap``). The student's kernel and every process it starts then have:

* their own user, process, network, IPC and host-name namespaces: no network at all, no view of
  any other process, and a new session (no terminal of the grader's to write into);
* a file system of their own: a private writable folder ``/w`` (a small tmpfs, where the kernel's
  sockets and the student's notebook are), a small ``/tmp`` and ``/dev/shm``, and read-only the
  Python installation, the course's environment and the ``rnncourse`` package. Nothing else:
  not the repository (``source/``, ``solutions/``, tests), the gradebook, the output folder, other
  students' files or the grader's scratch folder;
* when the grader runs as root, an unprivileged user id of their own (``setpriv``);
* limits (``prlimit``): address space per process, number of processes, size of a file; and,
  where the machine allows, a cgroup for the whole tree (:mod:`rnncourse.grading.cgroups`).

When the process bubblewrap started (its pid 1) is killed, every process in the sandbox dies
with it, and ``--die-with-parent`` does the same if the grader dies. :func:`probe` checks once
per batch that this works here; where it does not (macOS, Windows, no ``bwrap``, a kernel that
forbids user namespaces) kernels run unconfined, and the grader says so.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

import rnncourse

#: Inside the sandbox: the private folder, and where the kernel's connection file is.
HOME = "/w"
CONNECTION = "/run/kernel.json"
#: The socket the grader's agent listens on, in the private folder.
AGENT_SOCKET = f"{HOME}/.grader.sock"
#: User ids the sandboxes run as when the grader is root: a block of its own for each batch
#: (by the batch's process id, so two batches graded at once never share a user, nor its
#: process count), two per worker in it, so that the next student's kernel (started early)
#: never shares a process count with the current one.
UID_BASE = 1_900_000_000
UIDS_PER_BATCH = 512
MAX_WORKERS = UIDS_PER_BATCH // 2 - 1
PID_LIMIT = 2**22  # Linux's largest pid_max: UID_BASE + 512 * 2**22 < 2**32 - 1


def batch_uids(pid: int | None = None) -> range:
    """The user ids of the sandboxes of the batch run by process ``pid`` (default: this one)."""
    start = UID_BASE + UIDS_PER_BATCH * ((os.getpid() if pid is None else pid) % PID_LIMIT)
    return range(start, start + UIDS_PER_BATCH)


INSTALL_HINT = (
    "install bubblewrap to confine student code (Debian/Ubuntu: sudo apt-get install bubblewrap)"
)


@dataclass(frozen=True)
class Limits:
    """The limits of one student's sandbox."""

    memory_bytes: int | None = 4 * 2**30  #: address space of each process (and the cgroup's)
    processes: int = 256  #: processes and threads under the sandbox's user id
    file_bytes: int = 64 * 2**20  #: the largest file it may write
    disk_bytes: int = 64 * 2**20  #: room in the private folder, and again in /tmp
    shm_bytes: int = 16 * 2**20  #: room in /dev/shm


def read_only_paths() -> list[str]:
    """The course environment the sandbox may read: Python, the virtual environment, rnncourse."""
    paths = {
        sys.base_prefix,
        sys.prefix,
        str(Path(sys.executable).resolve().parent.parent),
        str(Path(rnncourse.__file__).resolve().parent),
    }
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        paths.add(sysconfig.get_path(key))
    real = sorted({str(Path(p).resolve()) for p in paths if p and Path(p).exists()})
    # keep the outermost folders only (a venv inside the Python prefix is already there)
    return [p for p in real if not any(p != q and p.startswith(q + os.sep) for q in real)]


def _system_binds() -> list[str]:
    """``/usr`` and the top-level links or folders of a merged-/usr system (``/lib`` …)."""
    args = ["--ro-bind", "/usr", "/usr"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64"):
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    if Path("/etc/ld.so.cache").exists():
        args += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    return args


def _read_only(paths: list[str]) -> list[str]:
    """Bind ``paths`` read-only at the same place, with readable folders leading to them."""
    args, made = [], set()
    for path in paths:
        if path == "/usr" or path.startswith("/usr/"):
            continue
        for parent in reversed(Path(path).parents[:-1]):  # /root, /root/.pyenv, …
            if str(parent) not in made:
                made.add(str(parent))
                args += ["--perms", "0755", "--dir", str(parent)]
        args += ["--ro-bind", path, path]
    return args


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The whole environment of a sandboxed kernel (nothing is inherited from the grader)."""
    env = {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": HOME,
        "USER": "student",
        "LANG": "C.UTF-8",
        "TMPDIR": "/tmp",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        "MPLCONFIGDIR": f"{HOME}/.config/matplotlib",
        "IPYTHONDIR": f"{HOME}/.ipython",
        "JUPYTER_CONFIG_DIR": f"{HOME}/.jupyter",
        "JUPYTER_DATA_DIR": f"{HOME}/.local/share/jupyter",
        "JUPYTER_RUNTIME_DIR": f"{HOME}/.local/share/jupyter/runtime",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }
    for threads in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[threads] = "1"  # one core per student: the workers share the machine
    env.update(extra or {})
    return env


def limits_command(limits: Limits) -> list[str]:
    """``prlimit`` with the per-process limits (they hold for every process started after it)."""
    args = ["prlimit", "--core=0", f"--nproc={limits.processes}", f"--fsize={limits.file_bytes}"]
    if limits.memory_bytes:
        args.append(f"--as={limits.memory_bytes}")
    return [*args, "--"]


def command(
    kernel: list[str],
    *,
    connection_file: str,
    limits: Limits,
    uid: int | None,
    info_fd: int | None = None,
    files: dict[str, str] | None = None,
    env: dict[str, str] | None = None,
) -> list[str]:
    """The command that runs ``kernel`` (argv, reading :data:`CONNECTION`) in a new sandbox.

    ``connection_file`` is the host's copy of the kernel's connection file; ``uid`` the user id
    to run as (when the grader is root; ``None`` keeps the grader's, in a user namespace);
    ``info_fd`` a descriptor bubblewrap writes the sandbox's process ids to; ``files`` more
    host files to show read-only (host path -> path inside).
    """
    args = ["bwrap", "--die-with-parent", "--new-session", "--unshare-ipc", "--unshare-pid"]
    args += ["--unshare-net", "--unshare-uts", "--unshare-cgroup-try", "--hostname", "sandbox"]
    if uid is None:
        args.append("--unshare-user")
    args += ["--proc", "/proc", "--dev", "/dev"]
    for path, size in (
        (HOME, limits.disk_bytes),
        ("/tmp", limits.disk_bytes),
        ("/dev/shm", limits.shm_bytes),
    ):
        args += ["--perms", "01777", "--size", str(size), "--tmpfs", path]
    # the course's files after the private folders: a course kept under /tmp stays visible
    args += _system_binds() + _read_only(read_only_paths())
    args += ["--perms", "0755", "--dir", "/run", "--ro-bind", connection_file, CONNECTION]
    for host, inside in (files or {}).items():
        args += ["--ro-bind", host, inside]
    args += ["--chdir", HOME, "--clearenv"]
    for key, value in environment(env).items():
        args += ["--setenv", key, value]
    if info_fd is not None:
        args += ["--info-fd", str(info_fd)]
    args += ["--", *limits_command(limits)]
    if uid is not None:
        args += ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]
        args += ["--inh-caps=-all", "--bounding-set=-all", "--"]
    return args + kernel


def options_through_pipe(argv: list[str]) -> tuple[list[str], int]:
    """``argv`` with bubblewrap's options read from a pipe (``--args``), and the pipe's end.

    The sandbox can read its pid 1's command line (bubblewrap's, in ``/proc/1/cmdline``); this
    way it shows no folder of the grader's, only ``bwrap --args N``.
    """
    start = argv.index("bwrap") + 1
    end = argv.index("--", start)
    read, write = os.pipe()
    os.write(write, b"".join(option.encode() + b"\0" for option in argv[start:end]))
    os.close(write)
    return [*argv[:start], "--args", str(read), *argv[end:]], read


# --------------------------------------------------------------------------- can we, here?


@dataclass(frozen=True)
class Confinement:
    """How this batch runs students' kernels, decided once by :func:`probe`."""

    confined: bool  #: kernels run in bubblewrap sandboxes
    why: str = ""  #: why not, in words (with what to do about it)
    root: bool = False  #: the grader is root, so each sandbox gets an unprivileged user id
    cgroups: str = ""  #: the cgroup hierarchy that limits each sandbox's tree ("v1", "v2" or "")
    uid_base: int = UID_BASE  #: the first of the batch's user ids (:func:`batch_uids`)

    def uid(self, worker: int, turn: int) -> int | None:
        """The user id of ``worker``'s sandbox number ``turn`` (``None``: keep the grader's)."""
        if not (self.confined and self.root):
            return None
        if not 0 <= worker <= MAX_WORKERS:
            raise ValueError(f"at most {MAX_WORKERS} workers, not {worker}")
        return self.uid_base + 2 * worker + turn % 2

    def describe(self, limits: Limits) -> str:
        """One line for the summary and the notes: how student code ran."""
        memory = (
            f"{limits.memory_bytes / 2**30:g} GB of address space per process"
            if limits.memory_bytes
            else "no memory limit"
        )
        if not self.confined:
            return f"UNCONFINED: students' code ran as ordinary processes of yours ({self.why}); {memory}"
        tree = (
            f", {limits.memory_bytes / 2**30:g} GB per student (cgroup {self.cgroups})"
            if self.cgroups and limits.memory_bytes
            else " (no cgroup here)"
        )
        user = "its own user id" if self.root else "your user id in a user namespace"
        return f"confined: each student's kernel in a bubblewrap sandbox ({user}, no network, only its own files); {memory}{tree}"


def missing_tools() -> str:
    """Why sandboxes cannot be built on this system at all ("" if the tools are there)."""
    if not sys.platform.startswith("linux"):
        return f"no Linux namespaces on this system ({sys.platform})"
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed; " + INSTALL_HINT
    absent = [tool for tool in ("prlimit", "setpriv") if shutil.which(tool) is None]
    if absent:
        return f"{' and '.join(absent)} (util-linux) not found"
    return ""


def probe(limits: Limits, cgroups: str = "") -> Confinement:
    """Start a throwaway sandbox exactly as a kernel's; say whether students can be confined."""
    why = missing_tools()
    if why:
        return Confinement(False, why)
    root = os.geteuid() == 0
    uids = batch_uids()
    with tempfile.NamedTemporaryFile("w", suffix=".json") as conn:
        conn.write("{}")
        conn.flush()
        source = Path(rnncourse.__file__).resolve().parents[1] / "source"
        check = f"import os; assert not os.path.exists({str(source)!r})"
        argv = command(
            [sys.executable, "-c", check],
            connection_file=conn.name,
            limits=limits,
            uid=uids.start if root else None,  # worker 0 is never used: the probe's
        )
        try:
            done = subprocess.run(
                argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            return Confinement(False, f"bubblewrap did not start here: {exc}")
    if done.returncode != 0:
        lines = [ln for ln in (done.stderr or "").splitlines() if ln.strip()] or [
            f"exit status {done.returncode}"
        ]
        return Confinement(False, f"bubblewrap failed here: {lines[-1].strip()[:200]}")
    return Confinement(True, root=root, cgroups=cgroups, uid_base=uids.start)
