"""The batch's grading processes: started early, fed one student at a time, replaced if they die.

:class:`WorkerPool` starts ``n`` processes running :func:`rnncourse.grading.worker.main`. They
import nbgrader and boot their kernels while the batch is still setting up the course; :meth:`run`
then hands one student at a time to whichever is free, with a progress bar. A worker that dies,
or a student who takes longer than ``deadline`` seconds in all, costs only that student
(``crashed``); a new worker takes over the rest. When a worker ends, so do its kernels.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from multiprocessing.connection import wait

from rnncourse.grading import worker
from rnncourse.grading.results import status_of


class GraderError(RuntimeError):
    """The grader itself cannot run (broken set-up, a worker that cannot start): exit status 1."""


@dataclass
class _Handle:
    process: multiprocessing.Process
    conn: object
    slot: int  #: 1 .. n: a worker that replaces another takes its slot (and its sandboxes' users)
    ready: bool = False
    task: str | None = None
    started: float = 0.0
    kernels: list[int] = field(default_factory=list)


class WorkerPool:
    """``n`` grading processes (:mod:`rnncourse.grading.worker`), started as early as possible."""

    def __init__(self, n: int):
        self.ctx = multiprocessing.get_context("spawn")
        self.handles: list[_Handle] = []
        self.spawned = 0
        self.setup: worker.Setup | None = None
        for _ in range(max(1, n)):
            self.handles.append(self._spawn())

    def _spawn(self) -> _Handle:
        self.spawned += 1
        taken = {h.slot for h in self.handles}
        slot = next(n for n in range(1, len(taken) + 2) if n not in taken)
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(
            target=worker.main, args=(child, self.spawned, slot), daemon=True
        )
        process.start()
        child.close()
        handle = _Handle(process, parent, slot)
        if self.setup is not None:
            handle.conn.send(self.setup)
        return handle

    def close(self) -> None:
        """Let the workers finish (they stop their kernels), then make sure they are gone."""
        for handle in self.handles:
            try:
                handle.conn.send(None)
            except OSError:
                pass
        for handle in self.handles:
            handle.process.join(timeout=15)
            _stop(handle)
        self.handles = []


def _stop(handle: _Handle) -> None:
    """Stop a worker and the kernels it started (sandboxes die with their bubblewrap)."""
    if handle.process.is_alive():
        handle.process.kill()
        handle.process.join(timeout=10)
    for pid in handle.kernels:
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                command = fh.read()
            if b"ipykernel" in command or b"bwrap" in command:
                os.killpg(pid, signal.SIGKILL)
        except (OSError, ProcessLookupError):
            pass
    handle.kernels = []


def run(
    pool: WorkerPool,
    setup: worker.Setup,
    students: list[str],
    *,
    deadline: float,
    progress: bool = True,
    on_result=None,
) -> dict[str, worker.Outcome]:
    """Grade ``students``; every one of them gets an outcome, passed to ``on_result`` as it comes."""
    from tqdm import tqdm

    pool.setup = setup
    for handle in pool.handles:
        handle.conn.send(setup)
    queue = deque(students)
    outcomes: dict[str, worker.Outcome] = {}
    bar = tqdm(total=len(students), desc=f"grading {setup.assignment}", unit="notebook",
               disable=not progress, file=sys.stderr, dynamic_ncols=True)  # fmt: skip

    def finish(handle: _Handle, outcome: worker.Outcome) -> None:
        outcomes[outcome.student] = outcome
        handle.task = None
        if on_result is not None:
            on_result(outcome)
        bar.update()
        counts = Counter(status_of(None, o) for o in outcomes.values())
        bar.set_postfix_str(", ".join(f"{k} {v}" for k, v in counts.items() if k != "graded"))

    try:
        while len(outcomes) < len(students):
            if not pool.handles:
                pool.handles.append(pool._spawn())
            for handle in pool.handles:
                if handle.ready and handle.task is None and queue:
                    handle.task, handle.started = queue.popleft(), time.monotonic()
                    handle.conn.send(handle.task)
            wait([h.conn for h in pool.handles] + [h.process.sentinel for h in pool.handles], 1.0)
            for handle in list(pool.handles):
                lost = not _receive(handle, finish)
                overdue = bool(handle.task) and time.monotonic() - handle.started > deadline
                if lost or overdue or not handle.process.is_alive():
                    _retire(pool, handle, overdue, deadline, finish, bool(queue))
    finally:
        bar.close()
    return outcomes


def _receive(handle: _Handle, finish) -> bool:
    """Read what ``handle``'s worker sent; ``False`` if its pipe is gone."""
    try:
        while handle.conn.poll():
            kind, payload = handle.conn.recv()
            if kind == "ready":
                handle.ready = True
            elif kind == "kernel":
                handle.kernels = [*handle.kernels[-6:], payload]
            elif kind == "result":
                finish(handle, worker.Outcome(**payload))
            elif kind == "failed":
                raise GraderError(f"a grading worker could not start:\n{payload}")
    except (EOFError, OSError):
        return False
    return True


def _retire(pool: WorkerPool, handle: _Handle, overdue: bool, deadline: float, finish, more: bool):
    """Stop a worker that died or overran: its student is ``crashed``, a new worker goes on."""
    if not handle.ready:
        raise GraderError("a grading worker exited before it was ready")
    task = handle.task
    _stop(handle)
    pool.handles.remove(handle)
    if task:
        why = (
            f"grading took longer than {deadline:.0f} s and was stopped"
            if overdue
            else "the grading process died"
        )
        finish(handle, worker.Outcome(task, died=why))
    if more:
        pool.handles.append(pool._spawn())
