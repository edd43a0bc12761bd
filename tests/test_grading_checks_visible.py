"""The checks that visible tests use: every failing check reported at once, in words a student can act on."""

from __future__ import annotations

import numpy as np
import pytest

from rnncourse.grading import checks


def fails(fn, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as excinfo:
        fn(*args, **kwargs)
    return str(excinfo.value)


# --------------------------------------------------------------------------- Visible


def test_visible_reports_every_failing_check_at_once(capsys):
    tests = checks.Visible("rnn_forward")
    with tests.check("first"):
        raise AssertionError("the first one is wrong")
    with tests.check("second"):
        pass
    with tests.check("third"):
        a, b = np.zeros(3)  # a result the test could not read: reported, not raised
    message = fails(tests.done)
    assert message.splitlines() == [
        "rnn_forward fails 2 of 3 visible checks:",
        "- first: the first one is wrong",
        "- third: ValueError: too many values to unpack (expected 2)",
    ]
    assert capsys.readouterr().out == ""


def test_visible_says_a_cause_shared_by_every_failing_check_once():
    tests = checks.Visible("ewma")
    for what in ("one", "two"):
        with tests.check(what):
            raise AssertionError("ewma returned None")
    with tests.check("three"):
        pass
    assert fails(tests.done) == (
        "ewma fails 2 of 3 visible checks, all in the same way: ewma returned None"
    )


def test_visible_says_only_that_a_function_is_not_written_yet():
    tests = checks.Visible("ewma")
    for what in ("one", "two"):
        with tests.check(what):
            checks.call(_not_written, 1.0)
    assert fails(tests.done) == (
        "_not_written is not implemented yet (it raises NotImplementedError): "
        "write it in the answer cell above"
    )


def _not_written(x):
    raise NotImplementedError()


def test_visible_says_so_when_every_check_passes(capsys):
    tests = checks.Visible("count_parameters")
    with tests.check("one"):
        pass
    tests.done()
    assert capsys.readouterr().out.startswith("All 1 visible checks of count_parameters passed.")


def test_a_missing_function_asks_to_run_the_answer_cell_first():
    assert "rnn_forward is not defined yet: run the answer cell above first" in fails(
        checks.Visible, "rnn_forward", {}
    )
    message = fails(checks.Visible, "birnn_forward", {"birnn_forward": 1}, uses=["rnn_forward"])
    assert message.startswith("rnn_forward is not defined yet")
    tests = checks.Visible("ewma")
    with tests.check("a call"):
        ewma_not_defined_anywhere()  # noqa: F821
    assert "ewma_not_defined_anywhere is not defined yet" in fails(tests.done)


def test_checks_that_wait_for_a_wrong_inner_function_say_so_and_pass(capsys):
    tests = checks.Visible("birnn_forward")
    with tests.check("written"):
        pass
    if tests.needs(False, "rnn_forward"):
        raise AssertionError("not reached")
    tests.done()
    out = capsys.readouterr().out
    assert out.startswith("1 visible check(s) of birnn_forward passed; the others wait for")
    assert "rnn_forward, which is not right yet" in out


# --------------------------------------------------------------------------- raises


def test_raises_returns_the_message_of_the_wanted_error():
    def fn(w):
        raise ValueError(f"no EWMA matches w = {w}")

    assert checks.raises(fn, ValueError, 2.0) == "no EWMA matches w = 2.0"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (
            lambda w: (1.0, 2.0),
            "returned a tuple of 2 item(s) (number, number) (for w = 1), but it should raise",
        ),
        (
            lambda w: 1 / 0,
            "raised ZeroDivisionError (for w = 1): division by zero; it should raise",
        ),
        (lambda w: (_ for _ in ()).throw(ValueError()), "without a sentence that says why"),
        (lambda w: (_ for _ in ()).throw(ValueError("bad w")), "without a sentence that says why"),
        (lambda w: (_ for _ in ()).throw(NotImplementedError()), "is not implemented yet"),
    ],
    ids=["returns", "other-error", "no-message", "two-words", "not-implemented"],
)
def test_raises_fails_in_words(body, words):
    body.__name__ = "neuron_as_ewma"
    assert words in fails(checks.raises, body, ValueError, 1.0, case="w = 1")


# --------------------------------------------------------------------------- reading results


def test_pair_and_number_accept_what_the_api_allows_and_say_what_came_back():
    assert checks.pair([1, 2], "f") == (1, 2)
    assert checks.number(np.float32(0.5), "alpha") == 0.5
    assert fails(checks.pair, np.zeros((2, 3)), "rnn_forward", ("hs", "h_last")) == (
        "rnn_forward should return a pair (hs, h_last), but it returned an array of shape (2, 3)"
    )
    assert "returned None (is a return statement missing?)" in fails(checks.pair, None, "f")
    assert "is an array of shape (1,)" in fails(checks.number, np.array([0.5]), "alpha")
    assert "a finite number" in fails(checks.number, float("nan"), "gain")
    assert "bool" in fails(checks.number, True, "gain")


def test_describe_names_types_and_shapes_but_never_values():
    text = checks.describe((np.zeros((2, 3)), 0.123456, [1, 2]))
    assert text == "a tuple of 3 item(s) (array of shape (2, 3), number, list of 2)"


# --------------------------------------------------------------------------- comparing


def test_compare_with_show_says_what_came_back_and_where_it_first_differs():
    expected = np.arange(12.0).reshape(2, 3, 2)
    got = expected.copy()
    got[1, 2, 0] = 0.0
    message = fails(checks.compare, got, expected, "hs", show=True)
    assert "at index [1, 2, 0] it holds 0 where 10 was expected" in message
    small = fails(
        checks.compare, [0.75, 2.0], [0.25, 2.0], "pair", show=True, wrong={"swap": [0.75, 2]}
    )
    assert small == "pair: swap; it came back [0.75, 2], not [0.25, 2]"
    assert "came back" not in fails(checks.compare, got, expected, "hs")  # hidden: no values


def test_padded_zero_wants_exact_zeros_at_padded_steps_only():
    real = np.array([[True, True], [True, False]])
    values = np.ones((2, 2, 3))
    values[1, 1] = 0.0
    checks.padded_zero(values, real, "hs")
    values[1, 1, 2] = 1e-300
    assert "not 0 at every padded step" in fails(checks.padded_zero, values, real, "hs")


def test_close_and_matches_compare_lists_of_arrays_of_different_shapes():
    want = (np.zeros((2, 3)), [np.ones((2, 1)), np.ones((2, 2))])
    assert checks.matches([np.zeros((2, 3)), [np.ones((2, 1)), np.ones((2, 2))]], want)
    assert not checks.matches((np.zeros((2, 3)), [np.ones((2, 2)), np.ones((2, 1))]), want)
    assert not checks.matches(want, None)
    assert checks.close(want[1], [np.ones((2, 1)), np.ones((2, 2))])


# --------------------------------------------------------------------------- inner functions


def overwrite(x):
    x[:] = 0.0
    return x.sum()


def test_gives_never_changes_the_tests_data():
    x = np.ones(3)
    assert not checks.gives(overwrite, 0.0, x)  # changed its input: not right
    assert np.array_equal(x, np.ones(3))
    assert checks.gives(lambda a: (a, [a]), (np.ones(3), [np.ones(3)]), x)


def test_changes_inputs_and_call_on_copies_leave_a_mistake_to_its_own_test():
    x = np.ones(3)
    assert checks.changes_inputs(overwrite, x) and np.array_equal(x, np.ones(3))
    assert checks.call_on_copies(overwrite, x) == 0.0 and np.array_equal(x, np.ones(3))
    assert "changed its input x in place" in fails(checks.call, overwrite, x)


def test_implemented_fails_only_for_not_implemented():
    def todo(x):
        raise NotImplementedError()

    assert "is not implemented yet" in fails(checks.implemented, todo, 1)
    checks.implemented(lambda x: 1 / 0, 1)  # wrong, but written: other checks say how
    with pytest.raises(AssertionError) as excinfo:
        checks.call(todo, 1)
    assert checks.not_implemented(excinfo.value)
    with pytest.raises(AssertionError) as excinfo:
        checks.call(lambda x: 1 / 0, 1)
    assert not checks.not_implemented(excinfo.value)
