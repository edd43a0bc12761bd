"""The wire between the trusted kernel and a student's sandbox carries plain data and nothing else."""

from __future__ import annotations

import base64
import collections
import functools

import numpy as np
import pytest

from rnncourse.grading import wire


def round_trip(value):
    return wire.decode(wire.loads(wire.dumps({"value": wire.encode(value)}))["value"])


def same(a, b) -> bool:
    if isinstance(a, np.ndarray):
        return (
            type(b) is np.ndarray
            and a.dtype == b.dtype
            and a.shape == b.shape
            and np.array_equal(a, b, equal_nan=a.dtype.kind in "fc")
            and a.flags.writeable == b.flags.writeable
        )
    if type(a) in (list, tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if type(a) is dict:
        return type(b) is dict and list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return type(a) is type(b) and (a == b or (a != a and b != b))


PLAIN = {
    "None, bools, ints, a str": [None, True, False, 0, -(2**70), "héllo\n"],
    "floats, exactly": [0.1, -0.0, 1e-310, 1.7976931348623157e308, float("nan"), float("-inf")],
    "complex": 1 - 2.5j,
    "a tuple is a tuple, a list a list": ((1, 2), [1, (2, [3])]),
    "a dict keeps its order and key types": {"b": 1, "a": [2], 3: None, 2.5: "x", None: 0},
    "float64 (B, T, D)": np.random.default_rng(0).normal(size=(2, 3, 4)),
    "float32 stays float32": np.arange(6, dtype=np.float32).reshape(2, 3),
    "ints, bools, complex, big-endian": [
        np.arange(4, dtype=np.int8),
        np.array([True, False]),
        np.array([1j]),
        np.arange(3, dtype=">f8"),
    ],
    "empty and 0-d arrays": [np.zeros((0, 3)), np.array(3.5)],
    "a Fortran-ordered view": np.arange(12.0).reshape(3, 4).T[::2],
    "NumPy numbers stay NumPy numbers": [
        np.float64(0.5),
        np.float32(1.5),
        np.int64(3),
        np.bool_(True),
    ],
}


@pytest.mark.parametrize("value", PLAIN.values(), ids=PLAIN.keys())
def test_plain_data_crosses_unchanged(value):
    back = round_trip(value)
    expected = np.ascontiguousarray(value) if isinstance(value, np.ndarray) else value
    assert same(expected, back)


def test_a_read_only_array_arrives_read_only_and_owns_its_data():
    x = np.arange(3.0)
    x.flags.writeable = False
    back = round_trip(x)
    assert not back.flags.writeable and back.flags.owndata


def test_a_namedtuple_and_collections_dicts_cross_as_plain_tuple_and_dict():
    Pair = collections.namedtuple("Pair", "hs h_last")
    assert same(round_trip(Pair(1, 2)), (1, 2))
    assert same(round_trip(collections.OrderedDict(a=1)), {"a": 1})
    assert same(round_trip(collections.defaultdict(list, a=[1])), {"a": [1]})


class Fake:
    def __eq__(self, other):
        return True


UNREADABLE = {
    "a class instance": (Fake(), "an object of type Fake"),
    "an object that claims to be an array": (
        type("A", (), {"__array__": lambda s: np.ones(2)})(),
        "type A",
    ),
    "an ndarray subclass": (np.ones(2).view(np.matrix), "subclass of np.ndarray"),
    "an object array": (np.array([1, None], dtype=object), "dtype object"),
    "a string array": (np.array(["a"]), "dtype <U1"),
    "a function": (len, "callable"),
    "a generator": ((i for i in range(2)), "generator"),
    "a set": ({1, 2}, "an object of type set"),
    "a dict with a tuple key": ({(1, 2): 3}, "a key of type tuple"),
    "nested too deeply": (functools.reduce(lambda a, _: [a], range(60), 0), "deep"),
}


@pytest.mark.parametrize(("value", "words"), UNREADABLE.values(), ids=UNREADABLE.keys())
def test_anything_else_is_refused_with_words_that_say_what_it_is(value, words):
    with pytest.raises(wire.Unreadable, match=words.replace("(", r"\(")):
        wire.encode(value)


def test_too_much_array_data_is_refused_before_it_is_sent(monkeypatch):
    monkeypatch.setattr(wire, "MAX_ARRAY_BYTES", 1000)
    with pytest.raises(wire.Unreadable, match="too large"):
        wire.encode([np.zeros(100), np.zeros(100)])


def array(dtype="<f8", shape=(2,), data=None, writeable=True):
    raw = data if data is not None else base64.b64encode(bytes(16)).decode()
    return {"array": [dtype, list(shape), raw, writeable]}


HOSTILE = {
    "an object dtype": array("|O8"),
    "a structured dtype": array("V16"),
    "data shorter than the shape": array(shape=(3,)),
    "a negative dimension": array(shape=(-2,)),
    "not base64": array(data="!!!"),
    "a huge declared shape": array(shape=(10**9, 10**9)),
    "an unknown tag": {"pickle": "gASVCAAAAAAAAACMBHRydWWULg=="},
    "two tags at once": {"list": [], "tuple": []},
    "a function reference where none may be": {"function": "rnn_forward"},
    "a bad complex": {"complex": ["1", 2]},
    "a bad float": {"float": "1e999"},
    "a list key": {"dict": [[{"list": []}, 1]]},
    "too deep": functools.reduce(lambda a, _: {"list": [a]}, range(60), 0),
}


@pytest.mark.parametrize("data", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_message_is_refused_not_obeyed(data):
    with pytest.raises(wire.WireError):
        wire.decode(data)


def test_malformed_and_oversized_messages_are_refused(monkeypatch):
    for text in (b"not json", b"[1, 2]", b'{"a": NaN}', b"\xff\xfe", b"[" * 100_000):
        with pytest.raises(wire.WireError):
            wire.loads(text)
    monkeypatch.setattr(wire, "MAX_MESSAGE_BYTES", 10)
    with pytest.raises(wire.WireError, match="limit"):
        wire.loads(b'{"value": "0123456789"}')


def test_a_reply_says_what_came_back_and_what_changed():
    reply = wire.Reply.from_message(
        {"value": wire.encode((np.ones(2), 1.5)), "changed": {"0": wire.encode([1])}, "printed": 12}
    )
    assert (
        same(reply.value, (np.ones(2), 1.5)) and reply.changed == {"0": [1]} and reply.printed == 12
    )
    raised = wire.Reply.from_message(
        {"raised": {"type": "ValueError", "builtin": True, "message": "w < 0" * 200}}
    )
    assert (
        raised.raised.type == "ValueError" and len(raised.raised.message) == wire.MAX_MESSAGE_CHARS
    )
    for bad in (
        {"raised": {"type": "a b", "builtin": True, "message": ""}},
        {"printed": "1"},
        {"changed": []},
    ):
        with pytest.raises(wire.WireError):
            wire.Reply.from_message(bad)


def test_a_description_of_a_function_keeps_its_parameters():
    spec = {"kind": "function", "params": [["x", 1, False], ["lengths", 1, True], ["kw", 3, True]]}
    assert wire.Description.from_message(spec).params == [
        ("x", 1, False),
        ("lengths", 1, True),
        ("kw", 3, True),
    ]
    assert wire.Description.from_message({"kind": "other", "about": "a value of type dict"}).about
    bad_specs = [{"kind": "function", "params": [["1x", 1, False]]}, {"kind": "value"}, []]
    for bad in bad_specs:
        with pytest.raises(wire.WireError):
            wire.Description.from_message(bad)
