"""A student's function as a test cell in the trusted kernel sees it: a :class:`Proxy`.

Calling a proxy sends the arguments to the student's sandboxed kernel, runs their function there
and brings the result back, so that a test reads like a test of a local function:

* the result comes back as plain data (:mod:`rnncourse.grading.wire`); anything else fails with
  :class:`UnreadableResult`, a sentence saying what came back;
* an argument the function changed in place is changed in the caller's object too (:func:`mirror`),
  so ``checks.call`` and a visible test's ``np.array_equal(x, x_before)`` notice it;
* an exception is raised again: one of Python's own (``ValueError``, ``NotImplementedError``…) as
  the same type with its message, any other as a :class:`StudentError` of the same name;
* what the function printed is counted (:attr:`Proxy.printed`) and never shown;
* a call past the cell's time, or into a kernel that has stopped, ends with
  :class:`~rnncourse.grading.link.CallTimeout` or :class:`~rnncourse.grading.link.KernelGone`.
"""

from __future__ import annotations

import builtins
import inspect
import itertools

import numpy as np

from rnncourse.grading import wire
from rnncourse.grading.link import CallTimeout, KernelGone, Link

PLAIN = "NumPy arrays, numbers, strings, None, or lists, tuples and dicts of these"


class UnreadableResult(AssertionError):
    """A student's function gave something that is not plain data, so it cannot be graded."""


class StudentError(Exception):
    """Stands for an exception class the student defined; subclasses carry its name."""


_STUDENT_ERRORS: dict[str, type] = {}


def rebuilt(raised: wire.Raised) -> BaseException:
    """The exception to raise in the test cell for one the student's function raised."""
    kind = getattr(builtins, raised.type, None)
    if raised.builtin and isinstance(kind, type) and issubclass(kind, Exception):
        try:
            return kind(raised.message)
        except Exception:  # a builtin that needs other arguments (UnicodeDecodeError…)
            pass
    if raised.type not in _STUDENT_ERRORS:
        _STUDENT_ERRORS[raised.type] = type(raised.type, (StudentError,), {})
    return _STUDENT_ERRORS[raised.type](raised.message)


def signature(params: list | None):
    """An ``inspect.Signature`` from (name, kind, has_default) triples, or a value that makes
    ``inspect.signature`` raise (unknown parameters: ``checks`` then says "argument 1")."""
    if params is None:
        return "unknown"
    try:
        return inspect.Signature(
            [
                inspect.Parameter(
                    name,
                    inspect._ParameterKind(kind),
                    default=... if has_default else inspect.Parameter.empty,
                )
                for name, kind, has_default in params
            ]
        )
    except (ValueError, TypeError):
        return "unknown"


# --------------------------------------------------------------------------- in-place changes


def mirror(target, new) -> None:
    """Change the caller's argument ``target`` in place to hold ``new``, as the call left it."""
    if isinstance(target, np.ndarray):
        if not target.flags.writeable:
            return  # the test protected it; the student's copy was writeable on purpose
        if isinstance(new, np.ndarray) and new.shape == target.shape:
            np.copyto(target, new, casting="unsafe")
        elif target.dtype.kind in "fc":
            target[...] = np.nan  # changed beyond what fits: at least show that it changed
        return
    if type(target) is list and type(new) is list:
        target[:] = [_kept(old, item) for old, item in itertools.zip_longest(target, new)][
            : len(new)
        ]
    elif type(target) is dict and type(new) is dict:
        for key in [k for k in target if k not in new]:
            del target[key]
        for key, item in new.items():
            target[key] = _kept(target.get(key), item)
    elif type(target) is tuple and type(new) is tuple and len(target) == len(new):
        for old, item in zip(target, new, strict=True):
            _kept(old, item)


def _kept(old, new):
    """``old`` changed in place to hold ``new`` if it can be (same kind of container), else ``new``."""
    same_kind = type(old) is type(new) and type(old) in (list, dict, tuple, np.ndarray)
    if same_kind and not (type(old) is np.ndarray and old.shape != new.shape):
        mirror(old, new)
        return old
    return new


# --------------------------------------------------------------------------- the proxy


class Proxy:
    """The student's function ``name``, called through ``link`` in their sandboxed kernel."""

    def __init__(self, link: Link, name: str, params: list | None = None):
        self.__name__ = self.__qualname__ = name
        self.__signature__ = signature(params)
        self._link = link
        self.printed = 0  #: characters the last call printed (swallowed)

    def __repr__(self) -> str:
        return f"<function {self.__name__} (runs in the student's kernel)>"

    def __call__(self, *args, **kwargs):
        name = self.__name__
        try:
            call = wire.Call(
                name,
                [wire.encode(a, _by_name) for a in args],
                {k: wire.encode(v, _by_name) for k, v in kwargs.items()},
            )
        except wire.Unreadable as exc:  # the test's own mistake: say it plainly
            raise TypeError(f"grading cannot pass {exc} to {name}; only {PLAIN}") from None
        try:
            reply = wire.Reply.from_message(self._link.request(call.to_message()))
        except CallTimeout:
            raise CallTimeout(
                f"{name} did not return within the time this test cell has, and was stopped"
            ) from None
        except KernelGone:
            raise KernelGone(
                f"the notebook's kernel stopped while {name} ran (it exited, crashed or ran out of memory)"
            ) from None
        except wire.WireError as exc:
            raise UnreadableResult(
                f"{name} sent back something grading cannot read: {exc}"
            ) from None
        self.printed = reply.printed
        for key, new in reply.changed.items():
            target = args[int(key)] if key.isdigit() and int(key) < len(args) else kwargs.get(key)
            mirror(target, new)
        if reply.raised is not None:
            raise rebuilt(reply.raised)
        if reply.unreadable:
            raise UnreadableResult(
                f"{name} returned {reply.unreadable}, which grading cannot read; return {PLAIN}"
            )
        return reply.value


def _by_name(value) -> str | None:
    """A student's function passed as an argument crosses as its name."""
    return value.__name__ if isinstance(value, Proxy) else None


class Opaque:
    """Stands for a name in the student's notebook that is not a function: any use fails."""

    def __init__(self, name: str, about: str):
        self._message = (
            f"{name} is {about} in the notebook; the tests call the notebook's functions and "
            "read nothing else of it"
        )

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        raise UnreadableResult(self._message)

    def _fail(self, *args, **kwargs):
        raise UnreadableResult(self._message)

    __call__ = __iter__ = __len__ = __getitem__ = __array__ = __float__ = __bool__ = _fail


__all__ = ["CallTimeout", "KernelGone", "Opaque", "Proxy", "StudentError", "UnreadableResult"]
