"""The trusted kernel's line to the agent in one student's sandboxed kernel.

One request at a time, each with a deadline: the end of the time the current test cell has
left. While it waits, :class:`Link` watches the sandboxed kernel's process, so that a kernel
that exits or is killed ends the wait at once (:class:`KernelGone`) and a call that runs too
long is interrupted (``SIGINT``, as Jupyter's interrupt button) and given up
(:class:`CallTimeout`). Replies are read with a size limit; their content is checked by
:mod:`rnncourse.grading.wire`.

Both failures derive from ``BaseException`` on purpose: a test's ``except Exception`` (around
a student's call, say) must not turn "the grader stopped this call" into a verdict on the answer.
"""

from __future__ import annotations

import os
import select
import signal
import socket
import time

from rnncourse.grading import agent, wire


class CallTimeout(BaseException):
    """A call ran past the time the test cell had left, and was stopped."""


class KernelGone(BaseException):
    """The student's kernel is no longer running (it exited, crashed or was stopped)."""


def alive(pid: int) -> bool:
    """Whether process ``pid`` is running (a zombie is not)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            state = fh.read().rsplit(b")", 1)[1].split()[0]
        return state not in (b"Z", b"X", b"x")
    except FileNotFoundError:
        return False
    except OSError:  # no /proc (macOS): ask the process table
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True


class Link:
    """Requests to the agent listening on ``path``, in the kernel whose process id is ``pid``."""

    def __init__(self, path: str, pid: int):
        self.path, self.pid = path, pid
        self.conn: socket.socket | None = None
        self.count = 0
        self.deadline = float("inf")  # set for each test cell by the trusted kernel

    def request(self, message: dict, seconds: float | None = None) -> dict:
        """Send ``message`` and return the reply (a dict from :func:`wire.loads`).

        Waits until :attr:`deadline` (or ``seconds`` from now, if sooner).
        """
        deadline = (
            self.deadline if seconds is None else min(self.deadline, time.monotonic() + seconds)
        )
        if not alive(self.pid):
            raise KernelGone()
        self.count += 1
        message = dict(message, id=self.count)
        conn = self._connect()
        try:
            conn.setblocking(True)
            conn.sendall(agent.HEADER.pack(len(data := wire.dumps(message))) + data)
            while True:
                reply = wire.loads(self._read(conn, deadline))
                if reply.get("id") == self.count:
                    return reply
        except (OSError, EOFError):
            self.close()
            if not alive(self.pid):
                raise KernelGone() from None
            raise wire.WireError("the connection to the student's kernel broke") from None
        except BaseException:
            self.close()  # a late reply must never be read as the next call's
            raise

    def _connect(self) -> socket.socket:
        if self.conn is None:
            conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                conn.connect(self.path)
            except OSError:
                conn.close()
                raise (
                    KernelGone()
                    if not alive(self.pid)
                    else wire.WireError("the student's kernel does not answer the grader")
                ) from None
            self.conn = conn
        return self.conn

    def _read(self, conn: socket.socket, deadline: float) -> bytes:
        (size,) = agent.HEADER.unpack(self._exactly(conn, agent.HEADER.size, deadline))
        if size > wire.MAX_MESSAGE_BYTES:
            raise wire.WireError(f"a reply of {size // 2**20} MB, more than the limit")
        return self._exactly(conn, size, deadline)

    def _exactly(self, conn: socket.socket, size: int, deadline: float) -> bytes:
        """``size`` bytes from ``conn``, waiting in short slices so that a dead kernel is noticed."""
        chunks, left = [], size
        while left:
            wait = min(0.1, deadline - time.monotonic())
            if wait <= 0:
                self.interrupt()
                raise CallTimeout()
            ready, _, _ = select.select([conn], [], [], wait)
            if not ready:
                if not alive(self.pid):
                    raise KernelGone()
                continue
            chunk = conn.recv(min(left, 1 << 20))
            if not chunk:
                raise EOFError("the connection closed")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def interrupt(self) -> None:
        """Stop what the student's kernel is running, as Jupyter's interrupt button does."""
        if alive(self.pid):
            try:
                os.kill(self.pid, signal.SIGINT)
            except OSError:
                pass

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
