"""The checks the exercises' test cells call accept every honest answer and explain every wrong one."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest

from rnncourse.grading import checks


def message(excinfo) -> str:
    return str(excinfo.value)


# --------------------------------------------------------------------------- as_array and result


@pytest.mark.parametrize(
    "value",
    [
        np.arange(3.0),
        np.arange(3, dtype=np.float32),
        np.arange(3),  # integers are real numbers too
        [0.0, 1.0, 2.0],
        (0, 1.0, np.float32(2.0)),
        [np.float64(0.0), 1, 2],
    ],
    ids=["float64", "float32", "int", "list", "tuple", "numpy-scalars"],
)
def test_as_array_accepts_real_arrays_numbers_and_lists(value):
    array = checks.as_array(value, "x")
    assert type(array) is np.ndarray and array.dtype == np.float64
    assert np.array_equal(array, [0.0, 1.0, 2.0])


class AlwaysEqual:
    def __eq__(self, other):
        return True

    def __array__(self, dtype=None, copy=None):
        return np.zeros(3)


class ArraySubclass(np.ndarray):
    def __eq__(self, other):
        return np.ones(self.shape, dtype=bool)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (AlwaysEqual(), "AlwaysEqual that defines its own =="),
        ([1.0, AlwaysEqual()], "defines its own =="),
        (np.zeros(3).view(ArraySubclass), "ArraySubclass"),
        (np.array([AlwaysEqual()] * 3, dtype=object), "type object"),
        (np.array([True, False]), "type bool"),
        (np.array([1j, 2j]), "type complex128"),
        (["a", "b"], "object of type str; return a NumPy array"),
        ([[1.0, 2.0], [3.0]], "pieces have different lengths"),
        ({"a": 1.0}, "object of type dict; return"),
        (None, "NoneType"),
    ],
    ids=[
        "eq-override",
        "eq-override-inside-list",
        "ndarray-subclass",
        "object-dtype",
        "bool",
        "complex",
        "strings",
        "ragged",
        "dict",
        "none",
    ],
)
def test_as_array_rejects_anything_that_could_fool_a_comparison(value, words):
    with pytest.raises(AssertionError) as excinfo:
        checks.as_array(value, "the output of f")
    assert message(excinfo).startswith("the output of f") and words in message(excinfo)


def test_result_checks_the_shape_exactly_and_explains_a_known_wrong_shape():
    assert checks.result(np.zeros((2, 3)), (2, 3), "h").shape == (2, 3)
    with pytest.raises(AssertionError) as excinfo:
        checks.result(
            np.zeros((2, 4, 3)),
            (2, 3, 3),
            "h",
            axes="(B, T, H)",
            hints={(2, 4, 3): "h0 is included"},
        )
    assert message(excinfo) == (
        "h has shape (2, 4, 3), but it should have shape (B, T, H) = (2, 3, 3): h0 is included"
    )
    with pytest.raises(AssertionError, match=r"shape \(6,\), but it should have shape \(2, 3\)$"):
        checks.result(np.zeros(6), (2, 3), "h")  # same size, wrong shape: no broadcasting excuse


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_result_rejects_nan_and_infinity(bad):
    with pytest.raises(AssertionError, match="NaN or infinite"):
        checks.result([0.0, bad], (2,), "s")


def test_integer_accepts_python_and_numpy_ints_only():
    assert checks.integer(3, "n") == 3 and checks.integer(np.int64(3), "n") == 3
    for bad, kind in [(3.0, "float"), (True, "bool"), (np.float64(3), "float64"), ("3", "str")]:
        with pytest.raises(
            AssertionError, match=f"whole number of type int, but it is of type {kind}"
        ):
            checks.integer(bad, "n")


def test_sequence_wants_a_list_of_the_right_length():
    assert checks.sequence((1, 2), 2, "hs") == [1, 2]
    with pytest.raises(
        AssertionError,
        match="should be a list .one per layer., but it is an object of type ndarray",
    ):
        checks.sequence(np.zeros((2, 3)), 2, "hs", what="one per layer")
    with pytest.raises(AssertionError, match="length 2, but its length is 3: x is in the list"):
        checks.sequence([1, 2, 3], 2, "hs", hints={3: "x is in the list"})


# --------------------------------------------------------------------------- call


def test_call_returns_the_value_and_swallows_prints_and_warnings(capsys):
    def noisy(x):
        print("debugging output the feedback must not show")
        warnings.warn("a warning that would land on stderr", stacklevel=1)
        return x + 1

    assert checks.call(noisy, 1, case="c") == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_call_turns_an_error_into_a_sentence_with_the_case():
    def broken(x):
        raise ValueError("shapes (2,3) and (4,4) not aligned")

    with pytest.raises(AssertionError) as excinfo:
        checks.call(broken, 1, case="B = 2, D = 3")
    assert message(excinfo) == (
        "broken raised ValueError (for B = 2, D = 3): shapes (2,3) and (4,4) not aligned"
    )
    assert excinfo.value.__cause__ is None and excinfo.value.__suppress_context__


def test_call_says_when_the_function_is_not_written_yet():
    def todo(x):
        raise NotImplementedError()

    with pytest.raises(AssertionError, match="todo is not implemented yet"):
        checks.call(todo, 1)


def test_call_names_the_argument_a_function_changed_in_place():
    def step(x_t, h_prev):
        h_prev += x_t
        return h_prev

    with pytest.raises(AssertionError) as excinfo:
        checks.call(step, np.ones(2), np.zeros(2), case="B = 1")
    assert message(excinfo).startswith("step changed its input h_prev in place (for B = 1)")

    def deep(x, layers):
        layers[0]["b"][0] = 5.0
        return x

    with pytest.raises(AssertionError, match="changed its input layers in place"):
        checks.call(deep, np.ones(2), [{"b": np.zeros(2)}])

    def by_keyword(x, s0=0.0):
        x.append(1.0)
        return x

    with pytest.raises(AssertionError, match="changed its input x in place"):
        checks.call(by_keyword, [0.0], s0=1.0)


def test_call_accepts_a_function_that_only_reads_its_inputs():
    x = np.arange(3.0)
    assert np.array_equal(checks.call(lambda v: v * 2, x), 2 * x)
    assert np.array_equal(x, np.arange(3.0))


def test_same_compares_content_including_nan_dtype_and_nesting():
    a = {"W": np.array([1.0, np.nan]), "sizes": [1, (2, 3)]}
    assert checks.same(a, {"W": np.array([1.0, np.nan]), "sizes": [1, (2, 3)]})
    assert not checks.same(
        a, {"W": np.array([1.0, np.nan], dtype=np.float32), "sizes": [1, (2, 3)]}
    )
    assert not checks.same(a, {"W": np.array([1.0, 2.0]), "sizes": [1, (2, 3)]})
    assert not checks.same([1, 2], (1, 2))


def test_attempt_returns_none_when_a_variant_does_not_apply():
    assert checks.attempt(np.dot, np.ones((2, 3)), np.ones((2, 3))) is None
    assert checks.attempt(np.dot, np.ones(3), np.ones(3)) == 3.0


# --------------------------------------------------------------------------- compare


def test_tolerance_follows_the_precision_of_the_inputs():
    assert checks.tolerance(np.zeros(2), 0.5) == checks.FLOAT64
    assert checks.tolerance(np.zeros(2), np.zeros(2, dtype=np.float32)) == checks.FLOAT32
    assert checks.tolerance([0.0, 1.0]) == checks.FLOAT64


def test_compare_accepts_float32_computation_for_float32_inputs():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3, 4)).astype(np.float32)
    exact = np.tanh(x.astype(np.float64) @ x.T.astype(np.float64))
    single = np.tanh(x @ x.T)  # computed in float32
    checks.compare(checks.as_array(single), exact, "f", tol=checks.tolerance(x))
    with pytest.raises(AssertionError, match="as if rounded to float32"):
        checks.compare(checks.as_array(single), exact, "f", tol=checks.FLOAT64)


def test_compare_names_the_first_matching_mistake_and_never_prints_numbers():
    rng = np.random.default_rng(1)
    expected = rng.normal(size=(2, 3))
    got = expected + 0.25
    wrong = {
        "not this one": None,
        "the values are shifted": expected - 1.0,
        "the bias b is never added": expected + 0.25,
    }
    with pytest.raises(AssertionError) as excinfo:
        checks.compare(got, expected, "rnn_step", case="B = 2", wrong=wrong)
    assert message(excinfo) == "rnn_step (for B = 2): the bias b is never added"
    pairs = [("first", expected + 1.0), ("first", expected + 0.25)]  # two variants, one sentence
    with pytest.raises(AssertionError, match="first$"):
        checks.compare(got, expected, "f", wrong=pairs)
    with pytest.raises(AssertionError) as excinfo:
        checks.compare(got, expected, "f", wrong={"other": expected * 2})
    assert message(excinfo) == "f: the values are wrong"
    assert not re.search(r"\d\.\d", message(excinfo))


def test_compare_says_whether_the_first_time_step_is_already_wrong():
    expected = np.zeros((2, 4, 3))
    later = expected.copy()
    later[:, 2:] = 1.0
    with pytest.raises(
        AssertionError, match="the first time step is right, but later steps are wrong"
    ):
        checks.compare(later, expected, "rnn_forward", time_axis=1)
    with pytest.raises(AssertionError, match="wrong from the first time step on"):
        checks.compare(expected + 1.0, expected, "rnn_forward", time_axis=1)


def test_compare_exact_for_counts():
    checks.compare(np.asarray(42), 42, "count", tol=checks.EXACT)
    with pytest.raises(AssertionError, match="the biases are not counted"):
        checks.compare(
            np.asarray(41), 42, "count", tol=checks.EXACT, wrong={"the biases are not counted": 41}
        )
