"""What crosses between the trusted kernel and a student's sandboxed kernel: plain data only.

A hidden test runs in the trusted kernel; the student's functions run in their sandboxed kernel.
A call sends the arguments over and brings the result back, both as JSON text built from these
forms, and nothing else (never pickle: reading a pickle runs code):

======================================  ============================================================
JSON                                    Python value
======================================  ============================================================
``null``, ``true``, numbers, strings    ``None``, ``bool``, ``int``, ``float``, ``str``
``{"list": [...]}``                     ``list`` (``{"tuple": [...]}``: ``tuple``)
``{"dict": [[key, value], ...]}``       ``dict``; keys are ``str``, ``int``, ``float``, ``bool``,
                                        ``None``
``{"array": [dtype, shape, b64, w]}``   ``numpy.ndarray`` of a bool or numeric dtype; ``w``: writeable
``{"scalar": [dtype, b64]}``            a NumPy number (``np.float64(0.5)``, ``np.int32(3)``)
``{"complex": [re, im]}``               ``complex``
``{"function": name}``                  a student function, passed back to the sandbox by its name
======================================  ============================================================

:func:`encode` turns a value into that text and raises :class:`Unreadable`, with a few words on
what the value is, for anything else (a class instance, an ndarray subclass, an ``object``
array, …). :func:`decode` reads text from the other side as untrusted: it checks every form, and
the limits below, while it builds the value, and raises :class:`WireError` on anything else.

The messages themselves are the small types at the end: a :class:`Call` goes to the sandbox, a
:class:`Reply` comes back; a :class:`Description` says what a name stands for there.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: Bytes of array data one message may carry (arguments or a result).
MAX_ARRAY_BYTES = 64 * 2**20
#: Bytes of one message as sent (base64 makes arrays a third larger).
MAX_MESSAGE_BYTES = MAX_ARRAY_BYTES * 4 // 3 + 16 * 2**20
#: How deeply lists, tuples and dicts may nest, and how many values one message may hold.
MAX_DEPTH, MAX_ITEMS = 48, 1_000_000
#: Dimensions of one array.
MAX_NDIM = 32
DTYPE = re.compile(r"^[<>|=]?[biufc][0-9]{1,2}$")
KEY_TYPES = (str, int, float, bool, type(None))


class Unreadable(TypeError):
    """A value that is not plain data; the message says what it is ("an object of type Model")."""


class WireError(ValueError):
    """Text from the other side that is not a well-formed message within the limits."""


def what(value: Any) -> str:
    """A few words about a value that cannot cross: its type, never its content."""
    kind = type(value)
    if isinstance(value, np.ndarray):
        if kind is not np.ndarray:
            return f"an array of type {kind.__name__} (a subclass of np.ndarray)"
        return f"a NumPy array of dtype {value.dtype}"
    if isinstance(value, np.generic):
        return f"a NumPy value of type {kind.__name__}"
    if callable(value):
        return f"a function or other callable ({kind.__name__})"
    return f"an object of type {kind.__name__}"


# --------------------------------------------------------------------------- encoding


class _Budget:
    """Counts what one message holds, so that encoding and decoding stop at the limits."""

    def __init__(self):
        self.items = 0
        self.array_bytes = 0

    def item(self, depth: int) -> None:
        self.items += 1
        if self.items > MAX_ITEMS:
            raise WireError(f"more than {MAX_ITEMS:,} values")
        if depth > MAX_DEPTH:
            raise WireError(f"lists or dicts nested more than {MAX_DEPTH} deep")

    def array(self, nbytes: int) -> None:
        self.array_bytes += nbytes
        if self.array_bytes > MAX_ARRAY_BYTES:
            raise WireError(f"more than {MAX_ARRAY_BYTES // 2**20} MB of array data")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _plain_container(value: Any) -> type | None:
    """list, tuple or dict for those types, a namedtuple and collections' dicts; else None."""
    kind = type(value)
    if kind in (list, tuple, dict):
        return kind
    if isinstance(value, tuple) and hasattr(kind, "_fields"):  # a namedtuple is a pair too
        return tuple
    if isinstance(value, dict) and kind.__module__ == "collections":  # OrderedDict, defaultdict
        return dict
    return None


def _encode(value: Any, budget: _Budget, depth: int, refer: Callable | None) -> Any:
    budget.item(depth)
    kind = type(value)
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return value if math.isfinite(value) else {"float": repr(value)}
    if kind is complex:
        return {
            "complex": [
                _encode(value.real, budget, depth, None),
                _encode(value.imag, budget, depth, None),
            ]
        }
    if kind is np.ndarray:
        if value.dtype.kind not in "biufc" or value.dtype.itemsize > 32:
            raise Unreadable(what(value))
        budget.array(value.nbytes)
        data = np.ascontiguousarray(value).tobytes()
        return {"array": [value.dtype.str, list(value.shape), _b64(data), value.flags.writeable]}
    if isinstance(value, np.generic) and kind.__module__ == "numpy" and value.dtype.kind in "biufc":
        return {"scalar": [value.dtype.str, _b64(value.tobytes())]}
    container = _plain_container(value)
    if container in (list, tuple):
        items = [_encode(item, budget, depth + 1, refer) for item in value]
        return {container.__name__: items}
    if container is dict:
        pairs = []
        for key, item in value.items():
            if type(key) not in KEY_TYPES:
                raise Unreadable(f"a dict with a key of type {type(key).__name__}")
            pairs.append(
                [_encode(key, budget, depth + 1, None), _encode(item, budget, depth + 1, refer)]
            )
        return {"dict": pairs}
    name = refer(value) if refer is not None else None
    if name is not None:
        return {"function": name}
    raise Unreadable(what(value))


def encode(value: Any, refer: Callable[[Any], str | None] | None = None) -> Any:
    """``value`` as JSON-ready data, or :class:`Unreadable` saying what it is.

    ``refer(obj)`` may name an object that is not data (the trusted side names the student's own
    functions, which the sandbox then looks up by that name); ``None`` means it cannot cross.
    """
    try:
        return _encode(value, _Budget(), 0, refer)
    except WireError as exc:
        raise Unreadable(f"too large to be graded ({exc})") from None
    except RecursionError:
        raise Unreadable("nested too deeply to be graded") from None


def dumps(message: dict) -> bytes:
    """A message (a dict of already encoded values) as the bytes that are sent."""
    return json.dumps(message, separators=(",", ":"), allow_nan=False).encode("utf-8")


# --------------------------------------------------------------------------- decoding


def loads(data: bytes) -> dict:
    """Parse a message received from the other side (a JSON object within the size limit)."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise WireError(f"a message of {len(data) // 2**20} MB, more than the limit")
    try:
        message = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise WireError(f"not a well-formed message ({type(exc).__name__})") from None
    if type(message) is not dict:
        raise WireError("not a well-formed message (not a JSON object)")
    return message


def _no_constant(name: str):
    raise json.JSONDecodeError(f"{name} is not allowed", name, 0)


def _unb64(text: Any) -> bytes:
    if type(text) is not str:
        raise WireError("array data is not text")
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise WireError("array data is not base64") from None


def _dtype(text: Any) -> np.dtype:
    if type(text) is not str or not DTYPE.match(text):
        raise WireError("not a bool or numeric dtype")
    dtype = np.dtype(text)
    if dtype.kind not in "biufc" or dtype.itemsize > 32:
        raise WireError("not a bool or numeric dtype")
    return dtype


def _array(spec: Any, budget: _Budget) -> np.ndarray:
    if type(spec) is not list or len(spec) != 4:
        raise WireError("a malformed array")
    dtype, shape, data, writeable = _dtype(spec[0]), spec[1], spec[2], spec[3]
    if type(shape) is not list or len(shape) > MAX_NDIM:
        raise WireError("a malformed array shape")
    if any(type(n) is not int or n < 0 for n in shape) or type(writeable) is not bool:
        raise WireError("a malformed array shape")
    size = math.prod(shape) * dtype.itemsize
    budget.array(size)
    raw = _unb64(data)
    if len(raw) != size:
        raise WireError("array data does not match its shape")
    array = np.frombuffer(raw, dtype=dtype).reshape(shape).copy()
    array.flags.writeable = writeable
    return array


def _scalar(spec: Any) -> np.generic:
    if type(spec) is not list or len(spec) != 2:
        raise WireError("a malformed NumPy number")
    dtype, raw = _dtype(spec[0]), _unb64(spec[1])
    if len(raw) != dtype.itemsize:
        raise WireError("a malformed NumPy number")
    return np.frombuffer(raw, dtype=dtype)[0]


def _float(text: Any) -> float:
    if text not in ("nan", "inf", "-inf"):
        raise WireError("a malformed float")
    return float(text)


def _decode(data: Any, budget: _Budget, depth: int, resolve: Callable | None) -> Any:
    budget.item(depth)
    kind = type(data)
    if data is None or kind in (bool, int, float, str):
        return data
    if kind is not dict or len(data) != 1:
        raise WireError(f"an unknown form ({kind.__name__})")
    ((tag, body),) = data.items()
    if tag in ("list", "tuple"):
        if type(body) is not list:
            raise WireError(f"a malformed {tag}")
        items = [_decode(item, budget, depth + 1, resolve) for item in body]
        return items if tag == "list" else tuple(items)
    if tag == "dict":
        if type(body) is not list:
            raise WireError("a malformed dict")
        out = {}
        for pair in body:
            if type(pair) is not list or len(pair) != 2:
                raise WireError("a malformed dict")
            key = _decode(pair[0], budget, depth + 1, None)
            if type(key) not in KEY_TYPES:
                raise WireError("a dict key that is not a string or number")
            out[key] = _decode(pair[1], budget, depth + 1, resolve)
        return out
    if tag == "array":
        return _array(body, budget)
    if tag == "scalar":
        return _scalar(body)
    if tag == "float":
        return _float(body)
    if tag == "complex" and type(body) is list and len(body) == 2:
        parts = [_decode(p, budget, depth + 1, None) for p in body]
        if all(type(p) in (int, float) for p in parts):
            return complex(*parts)
    if tag == "function" and resolve is not None and type(body) is str:
        return resolve(body)
    raise WireError(f"an unknown form ({tag!r})")


def decode(data: Any, resolve: Callable[[str], Any] | None = None) -> Any:
    """The value that ``data`` (a part of a message from :func:`loads`) stands for.

    ``resolve(name)`` turns ``{"function": name}`` back into a function (only the sandbox does);
    without it that form is refused. Raises :class:`WireError` for anything malformed.
    """
    try:
        return _decode(data, _Budget(), 0, resolve)
    except RecursionError:
        raise WireError(f"lists or dicts nested more than {MAX_DEPTH} deep") from None


# --------------------------------------------------------------------------- the messages

IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,99}$")
#: Characters of an exception's message that cross (``checks.call`` shows at most 300).
MAX_MESSAGE_CHARS = 400


def _text(value: Any, limit: int) -> str:
    if type(value) is not str:
        raise WireError("a malformed reply (text expected)")
    return value[:limit]


def _argument(value: Any) -> str:
    """An argument's position ("0", "1", …) or keyword."""
    if type(value) is str and (value.isdigit() and len(value) < 4 or IDENTIFIER.match(value)):
        return value
    raise WireError("a malformed reply (an argument expected)")


def _name(value: Any) -> str:
    if type(value) is not str or not IDENTIFIER.match(value):
        raise WireError("a malformed reply (a name expected)")
    return value


@dataclass(frozen=True)
class Call:
    """A request to run one of the student's functions (trusted kernel -> sandbox)."""

    name: str  #: the function's name in the student's notebook, as the test cell calls it
    args: list = field(default_factory=list)  #: positional arguments, encoded
    kwargs: dict = field(default_factory=dict)  #: keyword arguments, encoded

    def to_message(self) -> dict:
        return {"op": "call", "name": self.name, "args": self.args, "kwargs": self.kwargs}


@dataclass(frozen=True)
class Raised:
    """An exception the student's function raised, as it crosses: its type and message only."""

    type: str  #: the exception's class name
    builtin: bool  #: whether that is one of Python's own exceptions (``ValueError``…)
    message: str  #: ``str(exception)``, cut to :data:`MAX_MESSAGE_CHARS`


@dataclass
class Reply:
    """What a call gave (sandbox -> trusted kernel), read and checked on the trusted side.

    Exactly one of ``value`` (when neither of the others is set), ``raised`` and ``unreadable``
    describes the result.
    """

    value: Any = None  #: the function's result
    raised: Raised | None = None  #: the exception it raised instead
    unreadable: str = ""  #: what the result was, when it is not plain data ("an object of type X")
    changed: dict = field(default_factory=dict)  #: argument ("0", "1", … or keyword) -> new value
    printed: int = 0  #: characters the function printed (they are never shown)

    @classmethod
    def from_message(cls, message: dict) -> Reply:
        """The reply in ``message`` (from :func:`loads`), or :class:`WireError`."""
        reply = cls(printed=message.get("printed", 0))
        if type(reply.printed) is not int:
            raise WireError("a malformed reply")
        if "raised" in message:
            spec = message["raised"]
            if type(spec) is not dict or type(spec.get("builtin")) is not bool:
                raise WireError("a malformed reply")
            reply.raised = Raised(
                _name(spec.get("type")),
                spec["builtin"],
                _text(spec.get("message"), MAX_MESSAGE_CHARS),
            )
        elif "unreadable" in message:
            reply.unreadable = _text(message["unreadable"], 200) or "an unreadable object"
        else:
            reply.value = decode(message.get("value"))
        changed = message.get("changed", {})
        if type(changed) is not dict:
            raise WireError("a malformed reply")
        reply.changed = {_argument(key): decode(new) for key, new in changed.items()}
        return reply


@dataclass
class Description:
    """What one name stands for in the student's namespace (sandbox -> trusted kernel)."""

    kind: str  #: "function", "other" (anything else) or "absent"
    params: list | None = None  #: for "function": (name, kind, has_default) per parameter
    about: str = ""  #: for "other": what it is ("a value of type dict")

    @classmethod
    def from_message(cls, spec: Any) -> Description:
        if type(spec) is not dict or spec.get("kind") not in ("function", "other", "absent"):
            raise WireError("a malformed description")
        kind = spec["kind"]
        if kind == "other":
            return cls(kind, about=_text(spec.get("about", ""), 200))
        if kind == "function":
            return cls(kind, params=_params(spec.get("params")))
        return cls(kind)


def _params(spec: Any) -> list | None:
    """A function's parameters as (name, kind, has_default), or None if they are not readable."""
    if spec is None:
        return None
    if type(spec) is not list or len(spec) > 100:
        raise WireError("a malformed signature")
    out = []
    for item in spec:
        if type(item) is not list or len(item) != 3 or type(item[1]) is not int:
            raise WireError("a malformed signature")
        if not 0 <= item[1] <= 4 or type(item[2]) is not bool:
            raise WireError("a malformed signature")
        out.append((_name(item[0]), item[1], item[2]))
    return out
