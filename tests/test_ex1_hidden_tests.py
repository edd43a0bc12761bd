"""Exercise 1's hidden tests, on their own, catch every wrong implementation and pass every correct one.

These run in this process, without nbgrader (milliseconds per implementation): the notebook's
cells are executed in order in a fresh namespace, with each test cell cut down to its imports
and its hidden region. So a wrong implementation cannot pass here just because a visible test
happened to catch it first. `test_exercises_grading.py` then proves the same through nbgrader itself.
"""

from __future__ import annotations

import contextlib
import io

import nbformat
import pytest
from nbgrader_course import (
    Implementation,
    answer_code,
    assert_caught_in_words,
    corpus,
    hidden_only,
)

from conftest import REPO
from rnncourse.grading.validate import HIDDEN, is_answer, is_test

SOURCE = nbformat.read(REPO / "source" / "ex1-forward" / "ex1-forward.ipynb", as_version=4)
IMPLEMENTATIONS = corpus("ex1")
WRONG = [impl for impl in IMPLEMENTATIONS if not impl.correct]
CORRECT = [impl for impl in IMPLEMENTATIONS if impl.correct]


def run_hidden_tests(answers: dict[str, str]) -> dict[str, str | None]:
    """Test cell grade_id -> None if its hidden tests pass, else 'ErrorType: message'."""
    namespace: dict = {}
    outcome: dict[str, str | None] = {}
    for cell in SOURCE.cells:
        if cell.cell_type != "code":
            continue
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        source = cell.source
        if is_answer(cell):
            source = answers.get(gid, answer_code(cell))
        elif is_test(cell):
            source = hidden_only(source)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(source, f"<{gid or 'cell'}>", "exec"), namespace)
        except Exception as exc:
            if not is_test(cell):
                raise
            outcome[gid] = f"{type(exc).__name__}: {exc}"
        else:
            if is_test(cell):
                outcome[gid] = None
    return outcome


def test_every_test_cell_has_hidden_tests():
    tests = [c for c in SOURCE.cells if is_test(c)]
    assert len(tests) == 5 and all(HIDDEN[0] in c.source for c in tests)


def test_hidden_tests_pass_the_reference_solution():
    assert set(run_hidden_tests({}).values()) == {None}


@pytest.mark.parametrize("impl", CORRECT, ids=[i.name for i in CORRECT])
def test_hidden_tests_pass_a_correct_implementation(impl: Implementation):
    failures = {gid: text for gid, text in run_hidden_tests(impl.cells).items() if text}
    assert failures == {}, impl.what


@pytest.mark.parametrize("impl", WRONG, ids=[i.name for i in WRONG])
def test_hidden_tests_alone_catch_a_wrong_implementation_in_words(impl: Implementation):
    outcome = run_hidden_tests(impl.cells)
    assert_caught_in_words(outcome, impl)


# The mistakes that the hidden tests can name exactly, and the words they use.
DIAGNOSES = {
    "wrong_ewma_alpha_swapped": "alpha and 1 - alpha are swapped",
    "wrong_ewma_ignores_s0": "s0 is ignored",
    "wrong_ewma_includes_s0": "s0 is included",
    "wrong_ewma_starts_at_first_value": "starts at x_1 instead of from s0",
    "wrong_ewma_late_by_one": "one step late",
    "wrong_ewma_float32": "as if rounded to float32",
    "wrong_ewma_overwrites_input": "changed its input x in place",
    "wrong_ewma_fools_equality": "defines its own ==",
    "wrong_ewma_column": "not a column",
    "wrong_rnn_step_no_bias": "the bias b is never added",
    "wrong_rnn_step_W_not_transposed": "W is applied transposed",
    "wrong_rnn_step_U_not_transposed": "U is applied transposed",
    "wrong_rnn_step_relu": "ReLU",
    "wrong_rnn_step_sigmoid": "sigmoid",
    "wrong_rnn_step_no_activation": "tanh is missing",
    "wrong_rnn_step_in_place": "changed its input h_prev in place",
    "wrong_rnn_forward_state_not_carried": "the state is not carried from one step to the next",
    "wrong_rnn_forward_h0_included": "h0 is included",
    "wrong_rnn_forward_h0_ignored": "h0 is ignored",
    "wrong_rnn_forward_time_reversed": "time runs backwards",
    "wrong_rnn_forward_input_off_by_one": "the inputs are off by one step",
    "wrong_rnn_forward_time_major": "time comes first",
    "wrong_rnn_forward_overwrites_h0": "changed its input h0 in place",
    "wrong_deep_every_layer_reads_x": "every layer reads x",
    "wrong_deep_layers_reversed": "the layers run in reverse order",
    "wrong_deep_h0s_ignored": "h0s is ignored",
    "wrong_deep_h0s_reversed": "the initial states are mixed up",
    "wrong_deep_includes_input": "not x as well",
    "wrong_deep_last_layer_only": "should be a list",
    "wrong_count_no_biases": "the biases are not counted",
    "wrong_count_first_layer_only": "only the first layer is counted",
    "wrong_count_input_size_everywhere": "as if it read the input",
    "wrong_count_returns_float": "whole number of type int",
}


@pytest.mark.parametrize(("name", "words"), DIAGNOSES.items(), ids=list(DIAGNOSES))
def test_hidden_tests_name_the_mistake(name, words):
    impl = next(i for i in WRONG if i.name == name)
    first = f"{next(iter(impl.cells))}-tests"
    assert words in run_hidden_tests(impl.cells)[first]


def test_every_wrong_implementation_has_a_diagnosis():
    assert sorted(DIAGNOSES) == sorted(i.name for i in WRONG)
