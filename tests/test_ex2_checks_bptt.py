"""The checks for dicts of gradients and parameters accept every honest answer and explain every wrong one."""

from __future__ import annotations

import numpy as np
import pytest

from rnncourse.grading import checks, checks_bptt

SHAPES = {"W": (2, 2), "b": (2,)}


def honest():
    return {"W": np.eye(2), "b": [1.0, 2.0]}


def test_gradients_reads_a_dict_of_real_arrays_as_float64():
    got = checks_bptt.gradients(honest(), SHAPES, "grads")
    assert list(got) == ["W", "b"]
    assert all(type(v) is np.ndarray and v.dtype == np.float64 for v in got.values())
    float32 = {k: np.asarray(v, dtype=np.float32) for k, v in honest().items()}
    assert np.array_equal(checks_bptt.gradients(float32, SHAPES, "grads")["b"], [1.0, 2.0])


class PretendDict(dict):
    def __eq__(self, other):
        return True


class Anything(np.ndarray):
    def __eq__(self, other):
        return True


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (
            (np.eye(2), np.ones(2)),
            "should be a dict with the keys 'W' and 'b', but it is a tuple of 2 item(s)",
        ),
        (PretendDict(honest()), "but it is a PretendDict"),
        ({"W": np.eye(2)}, "grads has no key 'b'; it should have exactly the keys 'W' and 'b'"),
        ({**honest(), "x": np.ones(1), "h0": np.ones(1)}, "unexpected keys 'x' and 'h0'"),
        (
            {"W": np.eye(2), "b": np.ones((1, 2))},
            "grads['b'] has shape (1, 2), but it should have shape (2,): sum it",
        ),
        ({"W": np.eye(2), "b": [np.nan, 1.0]}, "grads['b'] contains NaN or infinite values"),
        ({"W": np.eye(2).view(Anything), "b": np.ones(2)}, "object of type Anything"),
    ],
    ids=["tuple", "dict-with-own-eq", "missing", "extra", "shape-with-hint", "nan", "impostor"],
)
def test_gradients_rejects_what_is_not_a_dict_of_finite_arrays_of_the_right_shapes(value, words):
    with pytest.raises(AssertionError) as excinfo:
        checks_bptt.gradients(value, SHAPES, "grads", hints={"b": {(1, 2): "sum it"}})
    assert words in str(excinfo.value)


def test_gradients_names_the_case_in_its_message():
    with pytest.raises(AssertionError, match=r"contains NaN or infinite values \(for B = 1\)$"):
        checks_bptt.gradients({"W": np.eye(2), "b": [np.inf, 0]}, SHAPES, "g", case="B = 1")


def test_compare_gradients_accepts_float32_rounding_and_names_the_first_mistake_in_order():
    expected = {"W": np.array([[1.0, 2.0], [3.0, 4.0]]), "b": np.array([0.5, -0.5])}
    rounded = {k: v.astype(np.float32).astype(float) * (1 + 1e-6) for k, v in expected.items()}
    checks_bptt.compare_gradients(rounded, expected, "f", tol=checks_bptt.FLOAT32)
    with pytest.raises(AssertionError, match="as if rounded to float32"):
        checks_bptt.compare_gradients(rounded, expected, "f")

    got = {"W": expected["W"].T, "b": expected["b"] / 3}
    wrong = [
        ("b is averaged", {"b": expected["b"] / 3}),
        ("W is transposed", {"W": expected["W"].T}),
    ]
    with pytest.raises(AssertionError, match=r"^f\['W'\] \(for T = 2\): W is transposed$"):
        checks_bptt.compare_gradients(got, expected, "f", case="T = 2", wrong=wrong)
    with pytest.raises(AssertionError, match=r"^f\['b'\]: b is averaged$"):
        checks_bptt.compare_gradients(got, expected, "f", wrong=wrong, order=("b", "W"))
    with pytest.raises(AssertionError, match=r"^f\['b'\]: the values are wrong$"):
        checks_bptt.compare_gradients(
            {**expected, "b": -expected["b"]}, expected, "f", wrong=[("never", None)]
        )


def test_finite_difference_check_passes_a_true_gradient_and_fails_a_wrong_one():
    from rnncourse.gradcheck import numerical_gradient

    w = np.array([0.3, -1.2, 2.0])
    numeric = numerical_gradient(lambda: np.sum(np.sin(w)), w)
    checks_bptt.agrees_with_finite_differences(np.cos(w), numeric, "dL/dw")
    with pytest.raises(AssertionError, match="does not agree with centred finite differences"):
        checks_bptt.agrees_with_finite_differences(np.cos(w) * (1 + 1e-4), numeric, "dL/dw")


def test_tolerance_is_looser_for_float32_gradients_only():
    assert checks_bptt.tolerance(np.ones(2)) is checks.FLOAT64
    assert checks_bptt.tolerance(np.ones(2), np.ones(2, dtype=np.float32)) is checks_bptt.FLOAT32
    assert checks_bptt.FLOAT32["rtol"] > checks.FLOAT32["rtol"]


def test_key_list_reads_like_a_sentence():
    assert checks_bptt.key_list(["x"]) == "'x'"
    assert checks_bptt.key_list(["x", "h0", "W"]) == "'x', 'h0' and 'W'"


def test_parameters_reads_any_hidden_size_and_names_a_transposed_or_one_class_readout():
    H, D, K = 3, 5, 2
    good = {
        "W": np.eye(H),
        "U": np.ones((H, D)),
        "b": np.zeros(H),
        "V": np.ones((K, H)),
        "c": [0, 1],
    }
    got = checks_bptt.parameters(good, D, K, "params")
    assert {k: v.shape for k, v in got.items()} == {
        "W": (3, 3), "U": (3, 5), "b": (3,), "V": (2, 3), "c": (2,)
    }  # fmt: skip
    for wrong, words in [
        ({**good, "V": np.ones((H, K))}, "V is transposed"),
        ({**good, "V": np.ones((1, H)), "c": np.zeros(1)}, "one row of V per class: K = 2"),
        ({**good, "W": np.ones(H)}, "should be a square matrix"),
        ({k: v for k, v in good.items() if k != "c"}, "has no key 'c'"),
        ([good["W"]], "should be a dict with the keys"),
    ]:
        with pytest.raises(AssertionError, match=words):
            checks_bptt.parameters(wrong, D, K, "params")


def test_compare_every_names_every_wrong_key_and_one_mistake_once():
    expected = {"x": np.ones(3), "W": np.eye(2), "b": np.array([1.0, 2.0])}
    checks_bptt.compare_every(dict(expected), expected, "g")
    no_carry = {"x": np.zeros(3), "W": np.zeros((2, 2))}
    with pytest.raises(AssertionError, match=r"^g: the gradients for 'x' and 'W': no carry$"):
        checks_bptt.compare_every(
            {**expected, **no_carry}, expected, "g", wrong=[("no carry", no_carry)]
        )
    with pytest.raises(AssertionError) as excinfo:
        checks_bptt.compare_every(
            {**expected, "x": 2 * np.ones(3), "b": -expected["b"]}, expected, "g"
        )
    assert "g['x']: the values are wrong; g['b']: the values are wrong" == str(excinfo.value)


def test_gradient_check_lists_every_disagreeing_key_and_says_where_dx_goes_wrong():
    numeric = {"x": np.ones((2, 3, 1)), "h0": np.ones((2, 1)), "W": np.ones((1, 1))}
    checks_bptt.gradient_check(dict(numeric), numeric, "f")
    x = numeric["x"].copy()
    x[0, 0] = 5.0  # sequence 0 (3 real steps) is wrong before its last real step
    with pytest.raises(AssertionError) as excinfo:
        checks_bptt.gradient_check(
            {**numeric, "x": x, "h0": 2 * numeric["h0"]}, numeric, "f", lengths=[3, 2]
        )
    message = str(excinfo.value)
    assert message.startswith("f: the gradients for 'x' and 'h0' do not agree with centred")
    assert "right at each sequence's last real step but wrong at the steps before it" in message


@pytest.mark.parametrize(
    ("where", "words"),
    [
        ((1, 2), "wrong at padded steps only"),
        ((0, 2), "already wrong at each sequence's last real"),
    ],
)
def test_where_wrong_tells_padding_from_last_step(where, words):
    expected = np.zeros((2, 3, 1))
    got = expected.copy()
    got[where] = 1.0
    assert words in checks_bptt.where_wrong(got, expected, np.array([3, 2]), checks.FLOAT64)
