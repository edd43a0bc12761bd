"""Limits for a sandbox's whole process tree with a cgroup, where the machine lets the grader.

``RLIMIT_AS`` bounds each process on its own; a cgroup bounds them together (memory, including
files in the sandbox's tmpfs folders, and the number of processes). The grader can make cgroups
when it may create folders under its own cgroup: cgroup v1 with the ``memory`` and ``pids``
controllers (as root, usually), or cgroup v2 where its cgroup delegates both to children.
:func:`find` probes that once per batch; elsewhere the per-process limits are all there is,
and the summary says so.

A sandbox joins its cgroup before bubblewrap starts (:meth:`Group.join`: a shell that moves
itself, then runs the sandbox), so every process in it is counted from the first.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")


@dataclass(frozen=True)
class Hierarchy:
    """Where this grader may create cgroups: one parent folder per controller."""

    version: str  #: "v1" or "v2"
    memory: Path
    pids: Path


def _own(controller: str) -> Path | None:
    """This process's cgroup folder for ``controller`` ("" for the v2 hierarchy)."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        number, controllers, path = line.split(":", 2)
        if (controller and controller in controllers.split(",")) or (
            not controller and number == "0" and not controllers
        ):
            base = ROOT / controller if controller else ROOT
            folder = base / path.lstrip("/")
            return folder if folder.is_dir() else None
    return None


def _writable(parent: Path) -> bool:
    test = parent / f"rnncourse-probe-{os.getpid()}"
    try:
        test.mkdir()
        test.rmdir()
        return True
    except OSError:
        return False


def find() -> Hierarchy | None:
    """The hierarchy this grader can create sandbox cgroups in, or ``None``."""
    memory, pids = _own("memory"), _own("pids")
    if memory is not None and pids is not None and _writable(memory) and _writable(pids):
        return Hierarchy("v1", memory, pids)
    unified = _own("")
    if unified is not None:
        try:
            delegated = (unified / "cgroup.subtree_control").read_text().split()
        except OSError:
            delegated = []
        if {"memory", "pids"} <= set(delegated) and _writable(unified):
            return Hierarchy("v2", unified, unified)
    return None


class Group:
    """One sandbox's cgroup (a folder per controller in v1, one folder in v2)."""

    def __init__(self, hierarchy: Hierarchy, name: str, memory_bytes: int | None, processes: int):
        self.hierarchy = hierarchy
        self.folders = list(dict.fromkeys([hierarchy.memory / name, hierarchy.pids / name]))
        for folder in self.folders:
            folder.mkdir(exist_ok=True)
        memory, pids = self.folders[0], self.folders[-1]
        if hierarchy.version == "v1":
            if memory_bytes:
                _write(memory / "memory.limit_in_bytes", memory_bytes)
                _write(memory / "memory.memsw.limit_in_bytes", memory_bytes, optional=True)
            _write(pids / "pids.max", processes)
        else:
            if memory_bytes:
                _write(memory / "memory.max", memory_bytes)
                _write(memory / "memory.swap.max", 0, optional=True)
            _write(pids / "pids.max", processes)

    def join(self) -> list[str]:
        """A command prefix that puts itself in this cgroup, then runs the rest of the command."""
        script = 'while [ "$1" != -- ]; do echo 0 > "$1" || exit 125; shift; done; shift; exec "$@"'
        return [
            "/bin/sh",
            "-c",
            script,
            "sh",
            *[str(f / "cgroup.procs") for f in self.folders],
            "--",
        ]

    def out_of_memory(self) -> bool:
        """Whether the kernel had to kill a process of this group for lack of memory."""
        name = "memory.oom_control" if self.hierarchy.version == "v1" else "memory.events"
        try:
            for line in (self.folders[0] / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill" and int(value or 0) > 0:
                    return True
        except (OSError, ValueError):
            pass
        return False

    def remove(self, wait: float = 3.0) -> bool:
        """Kill whatever is left in the group and delete it; ``False`` if it is still busy."""
        end = time.monotonic() + wait
        for folder in self.folders:
            while folder.exists():
                for pid in _pids(folder):
                    try:
                        os.kill(pid, 9)
                    except OSError:
                        pass
                try:
                    folder.rmdir()
                except OSError:
                    if time.monotonic() > end:
                        return False
                    time.sleep(0.05)
        return True


def _pids(folder: Path) -> list[int]:
    try:
        return [int(p) for p in (folder / "cgroup.procs").read_text().split()]
    except (OSError, ValueError):
        return []


def _write(path: Path, value: int, optional: bool = False) -> None:
    try:
        path.write_text(str(value))
    except OSError:
        if not optional:
            raise
