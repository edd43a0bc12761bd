"""A test cell in the trusted kernel calls a student's function in their sandboxed kernel as if
it were local: plain data both ways, exceptions and in-place changes carried back, prints kept
out, and a late or dead call ended with a sentence."""

from __future__ import annotations

import textwrap

import pytest

from rnncourse.grading import kernels, routing, sandbox
from rnncourse.grading.course import Course

LIMITS = sandbox.Limits(memory_bytes=2 * 2**30)

STUDENT = """
import numpy as np, os, time

def forward(x, h0, W, lengths=None, reverse=False):
    print("a print the test must never see")
    return np.tanh(x @ W.T), h0.astype(np.float32)

def scale_in_place(x, params, items):
    x *= 2
    params["W"][0, 0] = 7.0
    params["new"] = 1
    items.append(3)
    return None

def fails(kind):
    class Mine(Exception):
        pass
    raise {"value": ValueError("w must be in [0, 1)"), "todo": NotImplementedError(), "mine": Mine("custom")}[kind]

class Always:
    def __eq__(self, other):
        return True

def fake():
    return Always()

def sleeps():
    time.sleep(1000)

def exits():
    os._exit(3)

def twice(fn, x):
    return fn(fn(x))

def inc(x):
    return x + 1

len = lambda x: 42
data = {"hand": [0.5, 0.25]}
model = Always()
"""


@pytest.fixture(scope="module")
def kernels_pair(tmp_path_factory):
    """A student's sandboxed kernel holding STUDENT, and a trusted kernel attached to it."""
    tmp = tmp_path_factory.mktemp("proxy")
    confinement = sandbox.probe(LIMITS)
    box = kernels.start_sandbox(confinement, LIMITS, tmp / "k", 1, worker=5)
    trusted = kernels.TrustedKernel(tmp / "t", Course(tmp / "course").env(), LIMITS.memory_bytes)
    kc = box.client()
    kernels.run_sync(kc.wait_for_ready)(timeout=60)
    start = f"__import__('rnncourse.grading.agent', fromlist=['_']).start({box.agent_inside!r})"
    for code in (start, STUDENT):
        assert kernels.reply(kc, kc.execute(code), 60)["content"]["status"] == "ok"
    trusted.call("attach", box.agent, box.pid)
    yield box, trusted, kc
    kc.stop_channels()
    box.stop()
    trusted.stop()


def run(trusted, code: str, names=(), seconds: float = 20.0) -> None:
    """Bind ``names``, then run ``code`` in the trusted kernel; fail with its error, if any."""
    assert trusted.call("bind", list(names), seconds)["status"] == "ok"
    reply = trusted.run(textwrap.dedent(code), timeout=seconds + 10)
    assert reply["status"] == "ok", f"{reply.get('ename')}: {reply.get('evalue')}"


def test_a_result_comes_back_as_plain_data_with_its_dtype(kernels_pair):
    _, trusted, _ = kernels_pair
    run(
        trusted,
        """
        import inspect, numpy as np
        x, W = np.ones((2, 3, 4)), np.eye(5, 4)
        hs, h = forward(x, np.zeros((2, 5)), W)
        assert type(hs) is np.ndarray and hs.shape == (2, 3, 5) and np.allclose(hs, np.tanh(x @ W.T))
        assert h.dtype == np.float32 and forward.printed > 0
        assert str(inspect.signature(forward)) == "(x, h0, W, lengths=Ellipsis, reverse=Ellipsis)"
        """,
        ["forward"],
    )


def test_exceptions_come_back_as_the_same_builtin_or_a_named_stand_in(kernels_pair):
    _, trusted, _ = kernels_pair
    run(
        trusted,
        """
        from rnncourse.grading import checks
        try:
            fails("value")
        except ValueError as exc:
            assert str(exc) == "w must be in [0, 1)"
        message = checks.raises(fails, ValueError, "value")
        assert message == "w must be in [0, 1)"
        try:
            checks.call(fails, "todo")
        except AssertionError as exc:
            assert "is not implemented yet" in str(exc), exc
        try:
            fails("mine")
        except Exception as exc:
            assert type(exc).__name__ == "Mine" and str(exc) == "custom"
        """,
        ["fails"],
    )


def test_an_input_changed_in_place_is_changed_in_the_caller_so_checks_notice(kernels_pair):
    _, trusted, _ = kernels_pair
    run(
        trusted,
        """
        import numpy as np
        from rnncourse.grading import checks
        x, params, items = np.ones(3), {"W": np.zeros((2, 2))}, [1, 2]
        W = params["W"]
        scale_in_place(x, params, items)
        assert x.tolist() == [2, 2, 2] and W[0, 0] == 7.0 and params["W"] is W
        assert params["new"] == 1 and items == [1, 2, 3]
        try:
            checks.call(scale_in_place, np.ones(3), {"W": np.zeros((2, 2))}, [])
        except AssertionError as exc:
            assert "changed its input x and params and items in place" in str(exc), exc
        else:
            raise AssertionError("checks.call did not notice")
        """,
        ["scale_in_place"],
    )


def test_a_result_that_is_not_plain_data_and_a_notebook_value_fail_with_a_sentence(kernels_pair):
    _, trusted, _ = kernels_pair
    run(
        trusted,
        """
        from rnncourse.grading import checks
        try:
            checks.call(fake)
        except AssertionError as exc:
            assert "an object of type Always" in str(exc) and "cannot read" in str(exc), exc
        for opaque in (model, data):
            try:
                opaque["hand"]
            except AssertionError as exc:
                assert "the tests call the notebook's functions and read nothing else" in str(exc)
            else:
                raise AssertionError("a value of the notebook was read")
        """,
        ["fake", "model", "data"],
    )


def test_builtins_and_names_the_student_did_not_define_are_never_bound(kernels_pair):
    _, trusted, _ = kernels_pair
    names = routing.needed_names("y = len([1, 2]) + forward(1)\nprint(nothing_here, 'inc')")
    assert names == ("forward", "inc", "nothing_here")
    run(
        trusted,
        "assert len([1, 2]) == 2\ntry:\n    nothing_here\nexcept NameError:\n    pass",
        names,
    )


def test_a_student_function_passed_to_another_crosses_by_its_name(kernels_pair):
    _, trusted, _ = kernels_pair
    run(trusted, "assert twice(inc, 1) == 3", ["twice", "inc"])


def test_a_call_past_the_cells_time_is_stopped_and_the_kernel_goes_on(kernels_pair):
    box, trusted, _ = kernels_pair
    run(
        trusted,
        """
        from rnncourse.grading.link import CallTimeout
        try:
            sleeps()
        except CallTimeout as exc:
            assert "sleeps did not return" in str(exc), exc
        else:
            raise AssertionError("no timeout")
        """,
        ["sleeps"],
        seconds=3.0,
    )
    run(trusted, "assert inc(1) == 2", ["inc"])  # interrupted, it answers again
    assert box.alive()


def test_a_kernel_that_dies_during_a_call_ends_the_call_at_once(kernels_pair):
    box, trusted, kc = kernels_pair
    run(
        trusted,
        """
        import time
        from rnncourse.grading.link import KernelGone
        start = time.monotonic()
        try:
            exits()
        except KernelGone as exc:
            assert "stopped while exits ran" in str(exc), exc
        assert time.monotonic() - start < 5
        """,
        ["exits"],
    )
    box.wait_for_exit()
    assert not box.alive()


def test_a_callable_whose_signature_breaks_is_still_a_function_and_spoils_no_other_name():
    from rnncourse.grading import agent

    class Sneaky:
        @property
        def __signature__(self):
            raise RecursionError("boom")

        def __call__(self, x):
            return x

    class Odd(type):
        @property
        def __name__(cls):
            raise RuntimeError("no name")

    ns = {"f": Sneaky(), "g": lambda a, b=1: a, "v": Odd("V", (), {})()}
    assert agent.describe(ns, "f") == {"kind": "function", "params": None}
    assert agent.describe(ns, "g")["params"] == [["a", 1, False], ["b", 1, True]]
    assert agent.describe(ns, "v") == {
        "kind": "other",
        "about": "an object the grader could not inspect",
    }
