"""The two kinds of kernel a worker runs: one sandbox per student, one trusted kernel for all.

* :class:`Sandbox`: a student's kernel in a bubblewrap sandbox (:mod:`rnncourse.grading.sandbox`),
  or, where confinement is impossible, an ordinary process with an address-space limit. Its
  sockets are in its private folder, which the grader reaches through ``/proc/<pid>/root``.
  :meth:`Sandbox.stop` kills its pid 1, which ends every process inside.
* :func:`start_trusted`: the worker's trusted kernel, an ordinary kernel of the grader's that
  only ever runs test cells (:mod:`rnncourse.grading.trusted`).

:class:`SandboxPool` keeps one sandbox booted ahead, so that a student's kernel is ready when
their grading starts.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import zmq
from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from rnncourse.grading import cgroups, sandbox
from rnncourse.grading.link import alive
from rnncourse.grading.wire import MAX_MESSAGE_BYTES

#: A kernel's command: ipykernel without its debugger (:mod:`rnncourse.grading.launch`), no
#: history file, and output written straight to the process's descriptors (not a student's print)
#: goes nowhere instead of through a capturing thread.
KERNEL = [
    sys.executable,
    "-m",
    "rnncourse.grading.launch",
    "--HistoryManager.hist_file=:memory:",
    "--IPKernelApp.capture_fd_output=False",
]


class SandboxKernelManager(AsyncKernelManager):
    """Starts a kernel inside a sandbox and talks to it through ``/proc/<pid>/root``.

    The kernel binds its sockets at :data:`sandbox.HOME` inside; the grader's side reaches them
    under ``host_root`` once bubblewrap has said which process is the sandbox's pid 1.
    """

    def __init__(self, *, command, **kwargs):
        super().__init__(transport="ipc", ip=f"{sandbox.HOME}/kernel", **kwargs)
        self.command = command  # kernel argv -> the sandbox's command (given the info descriptor)
        self.host_root = ""  # "/proc/<pid>/root": where the sandbox's root is, seen from here
        self.init_pid = 0  # bubblewrap's pid 1 of the sandbox (host pid)
        self.context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)  # a flood ends the connection
        self._info = os.pipe()
        self._passed = [self._info[1]]  # descriptors bubblewrap inherits

    def format_kernel_cmd(self, extra_arguments=None):
        argv, options = sandbox.options_through_pipe(self.command(self._info[1]))
        self._passed.append(options)
        return argv

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        # bubblewrap's own environment is all its pid 1 shows in /proc/1/environ: keep it bare
        kw.update(
            env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, pass_fds=tuple(self._passed)
        )
        kw.update(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        finally:
            for fd in self._passed:
                os.close(fd)
        try:
            self.init_pid = _read_info(self._info[0])["child-pid"]
        finally:
            os.close(self._info[0])
        self.host_root = f"/proc/{self.init_pid}/root"

    def _make_url(self, channel: str) -> str:
        return f"ipc://{self.host_root}{self.ip}-{getattr(self, f'{channel}_port')}"

    def client(self, **kwargs):
        kc = super().client(**kwargs)
        kc.ip = f"{self.host_root}{self.ip}"
        return kc

    async def interrupt_kernel(self) -> None:  # never signal bubblewrap itself: it would die
        pid = kernel_pid(self.init_pid)
        if pid:
            os.kill(pid, signal.SIGINT)


def _read_info(fd: int, timeout: float = 30.0) -> dict:
    """The JSON bubblewrap writes to ``--info-fd`` once the sandbox's namespaces exist."""
    data, end = b"", time.monotonic() + timeout
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.5)
        chunk = os.read(fd, 4096) if ready else b""
        if ready and not chunk:
            break
        data += chunk
        try:
            return json.loads(data)
        except ValueError:
            continue
    raise RuntimeError("bubblewrap did not start the sandbox")


def kernel_pid(init_pid: int) -> int:
    """The host pid of the kernel in a sandbox: the child of its pid 1 (0 if there is none)."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == init_pid:
            return int(entry.name)
    return 0


# --------------------------------------------------------------------------- one student's kernel


class Sandbox:
    """One student's kernel, started (and booting) before their grading begins.

    ``folder`` is the host path of its private folder; ``pid`` the host pid of the kernel's
    process (found once the kernel is ready); ``uid`` the user id it runs as, if not ours.
    """

    def __init__(self, km, folder: str, uid: int | None, group: cgroups.Group | None):
        self.km, self.folder, self.uid, self.group = km, folder, uid, group
        self._pid = 0

    @property
    def agent(self) -> str:
        """Where the grader's agent in this kernel listens (a host path)."""
        return f"{self.folder}/{Path(sandbox.AGENT_SOCKET).name}"

    @property
    def agent_inside(self) -> str:
        """The same socket as the kernel sees it."""
        return sandbox.AGENT_SOCKET if getattr(self.km, "init_pid", 0) else self.agent

    @property
    def pid(self) -> int:
        if not self._pid:
            init = getattr(self.km, "init_pid", 0)
            self._pid = kernel_pid(init) if init else self.km.provisioner.pid
        return self._pid

    def alive(self) -> bool:
        return bool(run_sync(self.km.is_alive)())

    def client(self):
        """A connected client for the grader's side (no stdin: ``input()`` fails at once)."""
        kc = self.km.client()
        kc.context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)  # a flood ends the connection
        kc.start_channels(hb=False)  # liveness comes from the process, not a heartbeat
        kc.allow_stdin = False  # (start_channels sets it)
        return kc

    def wait_for_exit(self, seconds: float = 2.0) -> None:
        """Give a kernel that has just died a moment to be seen as gone."""
        end = time.monotonic() + seconds
        while self.alive() and time.monotonic() < end:
            time.sleep(0.05)

    def put(self, files: dict[str, bytes]) -> None:
        """Write ``files`` (path in the private folder -> content) for the student's kernel."""
        for name, data in files.items():
            relative = Path(name)
            path = Path(self.folder) / relative
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                if self.uid is not None:  # the student's user owns what is in their folder
                    for part in [*reversed(relative.parents[:-1]), relative]:
                        os.chown(Path(self.folder) / part, self.uid, self.uid)
            except OSError:  # a full folder: the kernel runs without that file
                pass

    def out_of_memory(self) -> bool:
        return self.group is not None and self.group.out_of_memory()

    def stop(self) -> None:
        """Kill every process of the sandbox and free what it held."""
        km = self.km
        process = getattr(km.provisioner, "process", None) if km.provisioner else None
        init = getattr(km, "init_pid", 0)
        try:  # the sandbox's pid 1 takes every process inside with it; unconfined: the group
            os.kill(init, signal.SIGKILL) if init else os.killpg(process.pid, signal.SIGKILL)
        except (OSError, AttributeError):
            pass
        if process is not None:
            try:
                process.wait(timeout=5)  # bubblewrap reaps its pid 1, then exits
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        end = time.monotonic() + 5
        while init and alive(init) and time.monotonic() < end:
            time.sleep(0.02)
        try:
            run_sync(km.cleanup_resources)()
        except Exception:
            pass
        if self.group is not None:
            self.group.remove()


def start_sandbox(
    confinement: sandbox.Confinement,
    limits: sandbox.Limits,
    scratch: Path,
    number: int,
    *,
    worker: int = 0,
    hierarchy: cgroups.Hierarchy | None = None,
    env: dict[str, str] | None = None,
) -> Sandbox:
    """Start student kernel ``number`` of ``worker`` (it boots while this returns)."""
    scratch.mkdir(parents=True, exist_ok=True)
    connection = scratch / f"s{number}.json"
    if not confinement.confined:
        return _start_unconfined(limits, scratch / f"s{number}", connection, env)
    uid = confinement.uid(worker, number)
    group = None
    if hierarchy is not None:
        name = f"rnncourse-{os.getpid()}-{number}"
        group = cgroups.Group(hierarchy, name, limits.memory_bytes, limits.processes)

    def command(info_fd: int) -> list[str]:
        if uid is not None:
            os.chown(connection, uid, uid)  # jupyter_client made it readable by us only
        argv = sandbox.command(
            [*KERNEL, "-f", sandbox.CONNECTION],
            connection_file=str(connection),
            limits=limits,
            uid=uid,
            info_fd=info_fd,
            env=env,
        )
        return (group.join() if group is not None else []) + argv

    km = SandboxKernelManager(command=command, connection_file=str(connection))
    try:
        run_sync(km.start_kernel)()
    except BaseException:
        if group is not None:
            group.remove()
        raise
    return Sandbox(km, f"{km.host_root}{sandbox.HOME}", uid, group)


def _start_unconfined(limits, folder: Path, connection: Path, env) -> Sandbox:
    """A student kernel as an ordinary process (no sandbox here), in a folder of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    km = grader_kernel(
        AsyncKernelManager(
            transport="ipc", ip=str(folder / "kernel"), connection_file=str(connection)
        )
    )
    km.context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
    extra = {k: v for k, v in sandbox.environment(env).items() if v.startswith(sandbox.HOME)}
    kernel_env = dict(
        sandbox.environment(env),
        **{k: str(folder) + v[len(sandbox.HOME) :] for k, v in extra.items()},
    )
    run_sync(km.start_kernel)(
        env=kernel_env,
        cwd=str(folder),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    limit(km.provisioner.pid, limits.memory_bytes)
    return Sandbox(km, str(folder), None, None)


def grader_kernel(km: AsyncKernelManager) -> AsyncKernelManager:
    """``km``, set to start :data:`KERNEL` (not the kernelspec's ``ipykernel_launcher``).

    jupyter_client 8 has no public setting for a manager's command (``kernel_cmd`` is gone), so
    this sets the spec it would load; ``tests/test_grade_proxy.py`` starts kernels through it.
    """
    km._kernel_spec = KernelSpec(
        argv=[*KERNEL, "-f", "{connection_file}"], language="python", display_name="grader"
    )
    return km


def limit(pid: int, memory_bytes: int | None) -> None:
    """Cap the address space of process ``pid`` (Linux; elsewhere nothing is capped)."""
    try:
        import resource

        resource.prlimit(pid, resource.RLIMIT_CORE, (0, 0))
        if memory_bytes:
            resource.prlimit(pid, resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    except (ImportError, AttributeError, OSError):
        pass


class SandboxPool:
    """Starts students' kernels one ahead of need (the next boots while a student is graded)."""

    def __init__(self, start):
        self.start = start  # number -> Sandbox
        self.count = 0
        self.spare: Sandbox | None = None

    def boot(self) -> None:
        self.count += 1
        self.spare = self.start(self.count)

    def take(self) -> Sandbox:
        box, self.spare = self.spare, None
        if box is None or not box.alive():
            if box is not None:
                box.stop()
            self.boot()
            box, self.spare = self.spare, None
        self.boot()
        return box

    def close(self) -> None:
        if self.spare is not None:
            self.spare.stop()
            self.spare = None


# --------------------------------------------------------------------------- the trusted kernel


def reply(kc, msg_id: str, timeout: float) -> dict:
    """The shell reply to request ``msg_id`` (others are dropped); ``queue.Empty`` if too late."""
    end = time.monotonic() + timeout
    while True:
        msg = run_sync(kc.shell_channel.get_msg)(timeout=max(end - time.monotonic(), 0.01))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


class TrustedKernel:
    """The worker's kernel for test cells: started once, put back as new between students."""

    def __init__(self, scratch: Path, env: dict[str, str], memory_bytes: int | None):
        self.scratch, self.env, self.memory_bytes = Path(scratch), env, memory_bytes
        self.km = self.kc = None
        self.start()

    def start(self) -> None:
        self.scratch.mkdir(parents=True, exist_ok=True)
        self.km = grader_kernel(
            AsyncKernelManager(
                transport="ipc",
                ip=str(self.scratch / "trusted"),
                connection_file=str(self.scratch / "trusted.json"),
            )
        )
        self.km.context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
        run_sync(self.km.start_kernel)(env=self.env, cwd=str(self.scratch))
        limit(self.km.provisioner.pid, self.memory_bytes)
        self.kc = self.km.client()
        self.kc.start_channels(hb=False)  # liveness comes from the process, not a heartbeat
        self.kc.allow_stdin = False
        run_sync(self.kc.wait_for_ready)(timeout=60)
        self.run("import rnncourse.grading.trusted")  # loads it and records the starting state

    def run(self, code: str, timeout: float = 30) -> dict:
        """Run ``code`` silently (no output, no history) and return the reply's content."""
        msg_id = self.kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        return reply(self.kc, msg_id, timeout)["content"]

    def call(self, function: str, *args, timeout: float = 30) -> dict:
        """Call ``rnncourse.grading.trusted.<function>(*args)`` in the kernel (plain arguments)."""
        text = ", ".join(repr(a) for a in args)
        return self.run(
            f"__import__('rnncourse.grading.trusted', fromlist=['_']).{function}({text})", timeout
        )

    def alive(self) -> bool:
        return bool(run_sync(self.km.is_alive)())

    def language_info(self) -> dict:
        """The kernel's ``language_info`` (for the notebook's metadata), asked once."""
        if not getattr(self, "_language_info", None):
            info = reply(self.kc, self.kc.kernel_info(), 30)
            self._language_info = info["content"]["language_info"]
        return self._language_info

    def stop(self) -> None:
        try:
            self.kc.stop_channels()
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:
            pass

    def restart(self) -> None:
        self.stop()
        self.start()
