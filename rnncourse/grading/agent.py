"""The grader's agent in a student's sandboxed kernel: it runs their functions when a test asks.

The grader starts it (:func:`start`) before the student's first cell. It listens on a Unix
socket in the sandbox's private folder, and handles each request on the kernel's main thread,
between cells, as a cell would:

* ``describe``: what some names stand for in the notebook: a function (and its parameters), or
  something else (tests call the student's functions and read nothing else);
* ``call``: run a function on decoded arguments with its prints and warnings swallowed, then
  send back the result (or the exception it raised) and every argument it changed in place.

Nothing here is trusted: the student's code may replace this module, the socket or the replies.
The trusted kernel reads whatever comes back as untrusted data, and it sends nothing secret:
only the arguments of each call, never test code or an expected value.
"""

from __future__ import annotations

import asyncio
import builtins
import contextlib
import inspect
import io
import signal
import socket
import struct
import warnings

import numpy as np

from rnncourse.grading import wire

HEADER = struct.Struct("!Q")  # every message is preceded by its length in bytes


def start(path: str) -> None:
    """Listen on the Unix socket ``path``; requests are served by the kernel's own event loop."""
    loop = asyncio.get_running_loop()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(4)
    server.setblocking(False)
    loop.add_reader(server.fileno(), _accept, loop, server)


def _accept(loop, server: socket.socket) -> None:
    try:
        conn, _ = server.accept()
    except OSError:
        return
    conn.setblocking(True)
    conn.settimeout(60)  # a request arrives at once; this only ends a stuck connection
    loop.add_reader(conn.fileno(), _serve, loop, conn)


def _serve(loop, conn: socket.socket) -> None:
    """Answer one request on ``conn``; close it when the other side has gone."""
    try:
        message = wire.loads(receive(conn))
        reply = handle(message)
        reply["id"] = message.get("id")
        send(conn, wire.dumps(reply))
    except (OSError, EOFError, wire.WireError, ValueError):
        loop.remove_reader(conn.fileno())
        conn.close()


def receive(conn: socket.socket) -> bytes:
    """One length-prefixed message from ``conn`` (at most :data:`wire.MAX_MESSAGE_BYTES`)."""
    (size,) = HEADER.unpack(_exactly(conn, HEADER.size))
    if size > wire.MAX_MESSAGE_BYTES:
        raise wire.WireError("a message larger than the limit")
    return _exactly(conn, size)


def _exactly(conn: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = conn.recv(min(left, 1 << 20))
        if not chunk:
            raise EOFError("the connection closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def send(conn: socket.socket, data: bytes) -> None:
    conn.sendall(HEADER.pack(len(data)) + data)


# --------------------------------------------------------------------------- requests


def namespace() -> dict:
    from IPython import get_ipython

    return get_ipython().user_ns


def handle(message: dict) -> dict:
    """The reply to one request (a dict, before it is encoded)."""
    if message.get("op") == "describe" and type(message.get("names")) is list:
        ns = namespace()
        return {"names": {n: describe(ns, n) for n in message["names"] if type(n) is str}}
    if message.get("op") == "call" and type(message.get("name")) is str:
        return call(namespace(), message)
    return {"raised": {"type": "RuntimeError", "builtin": True, "message": "unknown request"}}


def describe(ns: dict, name: str) -> dict:
    """What ``name`` stands for in the notebook (see :class:`wire.Description`)."""
    if name not in ns:
        return {"kind": "absent"}
    value = ns[name]
    try:  # each name on its own: an object that breaks inspection spoils only its own name
        if callable(value):
            return {"kind": "function", "params": parameters(value)}
        return {"kind": "other", "about": f"a value of type {type(value).__name__}"}
    except Exception:
        return {"kind": "other", "about": "an object the grader could not inspect"}


def parameters(fn) -> list | None:
    """``fn``'s parameters as [name, kind, has_default] (``inspect.Parameter.kind`` as an int)."""
    try:
        signature = inspect.signature(fn)
    except Exception:  # no signature, or a student's __signature__ that raises: call as given
        return None
    return [
        [p.name, int(p.kind), p.default is not inspect.Parameter.empty]
        for p in signature.parameters.values()
    ]


class _Count(io.TextIOBase):
    """A stream that counts what is written to it and keeps none of it."""

    def __init__(self):
        self.count = 0

    def writable(self) -> bool:
        return True

    def write(self, text) -> int:
        self.count += len(text)
        return len(text)


@contextlib.contextmanager
def quiet(out: _Count):
    """While a test calls the student's function, nothing it prints, warns, displays or opens
    as a widget (a progress bar, say) leaves the kernel: prints are counted in ``out``, the rest
    is dropped before it is sent."""
    from IPython import get_ipython

    kernel = getattr(get_ipython(), "kernel", None)
    session, iopub = getattr(kernel, "session", None), getattr(kernel, "iopub_socket", None)
    send = getattr(session, "send", None)

    def drop(stream, *args, **kwargs):
        return None if stream is iopub else send(stream, *args, **kwargs)

    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if send is not None:
                session.send = drop
            try:
                yield
            finally:
                if send is not None:
                    del session.send  # the class's own method again


def raised(exc: BaseException) -> dict:
    kind = type(exc)
    try:
        message = str(exc)[: wire.MAX_MESSAGE_CHARS]
    except Exception:
        message = ""
    builtin = getattr(builtins, kind.__name__, None) is kind
    return {"type": kind.__name__, "builtin": builtin, "message": message}


def call(ns: dict, message: dict) -> dict:
    """Run ``ns[name](*args, **kwargs)`` as the trusted kernel asked; see :class:`wire.Reply`."""
    name = message["name"]
    fn = ns.get(name)
    if not callable(fn):
        return {"raised": {"type": "NameError", "builtin": True, "message": f"{name} is gone"}}

    def resolve(other: str):
        return ns.get(other)

    def arguments():
        args, kwargs = message.get("args"), message.get("kwargs")
        if type(args) is not list or type(kwargs) is not dict:
            raise wire.WireError("malformed arguments")
        return (
            [wire.decode(a, resolve) for a in args],
            {str(k): wire.decode(v, resolve) for k, v in kwargs.items()},
        )

    args, kwargs = arguments()
    before = arguments()  # a pristine copy, to see what the function changes in place
    out = _Count()
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # a late call is stopped
    try:
        with quiet(out):
            value = fn(*args, **kwargs)
    except BaseException as exc:  # the student's error (or the grader's interrupt), in words
        reply = {"raised": raised(exc)}
    else:
        try:
            reply = {"value": wire.encode(value)}
        except wire.Unreadable as exc:
            reply = {"unreadable": str(exc)}
    finally:
        signal.signal(signal.SIGINT, previous)
    reply["printed"] = out.count
    reply["changed"] = changed(before, (args, kwargs))
    return reply


def changed(before: tuple, after: tuple) -> dict:
    """The arguments whose content the call changed: position ("0", "1", …) or keyword -> new value."""
    out = {}
    pairs = [
        (str(i), old, new) for i, (old, new) in enumerate(zip(before[0], after[0], strict=True))
    ]
    pairs += [(key, before[1][key], after[1][key]) for key in after[1]]
    for key, old, new in pairs:
        if not same(old, new):
            try:
                out[key] = wire.encode(new)
            except wire.Unreadable:
                pass  # replaced by something that cannot cross: the caller keeps its copy
    return out


def same(a, b) -> bool:
    """Whether ``a`` and ``b`` hold the same plain data (NaN equals NaN)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            type(a) is type(b)
            and a.shape == b.shape
            and a.dtype == b.dtype
            and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        )
    if type(a) in (list, tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if type(a) is dict:
        return type(b) is dict and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    try:
        return type(a) is type(b) and bool(a == b or (a != a and b != b))
    except Exception:
        return False
