"""Exercise 1's tests, hidden and visible apart, catch every wrong implementation and pass every correct one.

These run in this process, without nbgrader (milliseconds per implementation): the notebook's
cells are executed in order in a fresh namespace, with each test cell cut down to its hidden
region (plus imports) or to its visible part. So a wrong implementation cannot pass the hidden
tests just because a visible test happened to catch it first, and every mistake the hidden tests
diagnose is also caught by a visible, hand-checkable case. `test_exercises_grading.py` then
proves the same through nbgrader itself.
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
from rnncourse.grading.validate import HIDDEN, is_answer, is_test, visible_part

SOURCE = nbformat.read(REPO / "source" / "ex1-forward" / "ex1-forward.ipynb", as_version=4)
IMPLEMENTATIONS = corpus("ex1")
WRONG = [impl for impl in IMPLEMENTATIONS if not impl.correct]
CORRECT = [impl for impl in IMPLEMENTATIONS if impl.correct]


def run_tests(answers: dict[str, str], part: str = "hidden") -> dict[str, str | None]:
    """Test cell grade_id -> None if its ``part`` ("hidden", "visible", "all") passes, else
    'ErrorType: message'."""
    cut = {"hidden": hidden_only, "visible": visible_part, "all": lambda source: source}[part]
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
            source = cut(source)
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


def test_every_test_passes_the_reference_solution():
    assert set(run_tests({}, "all").values()) == {None}


@pytest.mark.parametrize("impl", CORRECT, ids=[i.name for i in CORRECT])
def test_every_test_passes_a_correct_implementation(impl: Implementation):
    failures = {gid: text for gid, text in run_tests(impl.cells, "all").items() if text}
    assert failures == {}, impl.what


@pytest.mark.parametrize("impl", WRONG, ids=[i.name for i in WRONG])
def test_hidden_tests_alone_catch_a_wrong_implementation_in_words(impl: Implementation):
    assert_caught_in_words(run_tests(impl.cells, "hidden"), impl)


@pytest.mark.parametrize("impl", WRONG, ids=[i.name for i in WRONG])
def test_visible_tests_alone_catch_a_wrong_implementation(impl: Implementation):
    outcome = run_tests(impl.cells, "visible")
    for gid in impl.cells:
        assert outcome[f"{gid}-tests"], f"{impl.name} ({impl.what}) passes the visible tests"


@pytest.mark.parametrize("impl", WRONG, ids=[i.name for i in WRONG])
def test_one_mistake_costs_once(impl: Implementation):
    """A wrong answer cell fails its own test cell and no other (Parts 3 and 4 build on 2)."""
    failed = {gid for gid, text in run_tests(impl.cells, "all").items() if text}
    assert failed == {f"{gid}-tests" for gid in impl.cells}


@pytest.mark.parametrize("written", [(), ("rnn-forward",), ("rnn-forward", "birnn-forward")])
def test_a_function_not_written_yet_fails_its_test_cell(written):
    """Untouched answer cells lose their points, even when the parts they build on fail."""
    stub = "def {}(*args, **kwargs):\n    raise NotImplementedError()"
    names = {c.metadata.nbgrader["grade_id"]: c for c in SOURCE.cells if is_answer(c)}
    answers = {gid: stub.format(gid.replace("-", "_")) for gid in names if gid not in written}
    outcome = run_tests(answers, "all")
    assert {gid for gid, text in outcome.items() if text} == {f"{gid}-tests" for gid in answers}
    wrong = next(i for i in WRONG if i.name == "wrong_forward_returns_hs_only").cells
    outcome = run_tests(answers | wrong, "all")  # rnn_forward written, but wrong
    assert {gid for gid, text in outcome.items() if text} == {
        f"{gid}-tests" for gid in (*answers, *wrong)
    }


def test_a_test_cell_run_before_its_answer_cell_says_so():
    namespace: dict = {}
    for cell in SOURCE.cells:
        if cell.cell_type == "code" and not is_answer(cell) and not is_test(cell):
            exec(cell.source, namespace)
    for cell in (c for c in SOURCE.cells if is_test(c)):
        with pytest.raises(AssertionError, match="run the answer cell above first"):
            with contextlib.redirect_stdout(io.StringIO()):
                exec(cell.source, dict(namespace))


def test_a_visible_failure_names_every_wrong_check_with_what_came_back():
    impl = next(i for i in WRONG if i.name == "wrong_forward_W_not_transposed")
    message = run_tests(impl.cells, "visible")["rnn-forward-tests"]
    assert message.startswith("AssertionError: rnn_forward fails 7 of 8 visible checks:")
    assert message.count("\n- ") == 7
    assert "W is applied transposed" in message and "it came back [0.4621, 0.4621" in message


# The mistakes that the hidden tests can name exactly, and the words they use.
DIAGNOSES = {
    "wrong_ewma_alpha_is_w": "alpha = w, but the EWMA keeps 1 - alpha",
    "wrong_ewma_gain_is_u": "gain = u",
    "wrong_ewma_pair_swapped": "come back in the wrong order",
    "wrong_ewma_lecture_match": "alpha = u holds only when u = 1 - w",
    "wrong_ewma_no_value_error": "raised ZeroDivisionError (for w >= 1",
    "wrong_ewma_accepts_negative_w": "(for w < 0, where no EWMA matches), but it should raise",
    "wrong_ewma_rejects_w_zero": "raised ValueError (for a random w in [0, 1)",
    "wrong_ewma_error_without_sentence": "without a sentence that says why",
    "wrong_ewma_assert_instead_of_error": "raised AssertionError",
    "wrong_forward_ignores_lengths": "lengths is ignored",
    "wrong_forward_padding_in_outputs": "hs is not 0 at padded steps",
    "wrong_forward_h_last_at_T_minus_1": "h_last is taken at step T - 1",
    "wrong_forward_state_reads_padding": "the state runs on through the padding",
    "wrong_forward_state_reset_at_padding": "h_last is taken at step T - 1",
    "wrong_reverse_starts_on_padding": "starts reading at the padding",
    "wrong_reverse_flips_whole_batch": "the whole batch is flipped in time",
    "wrong_reverse_not_realigned": "stored in reading order",
    "wrong_reverse_ignored": "reverse=True is ignored",
    "wrong_reverse_h_last_at_own_end": "not the one at step lengths[b] - 1",
    "wrong_forward_W_not_transposed": "W is applied transposed",
    "wrong_forward_no_bias": "the bias b is never added",
    "wrong_forward_h0_ignored": "h0 is ignored",
    "wrong_forward_zeroes_padding_in_place": "changed its input x in place",
    "wrong_forward_float32_results": "as if rounded to float32",
    "wrong_forward_returns_hs_only": "should return a pair (hs, h_last)",
    "wrong_birnn_directions_swapped": "the directions are the wrong way round",
    "wrong_birnn_bwd_starts_from_fwd_state": "raised ValueError",  # H_f != H_b: cannot even run
    "wrong_birnn_bwd_uses_fwd_params": "hs has shape",
    "wrong_birnn_h_last_of_reverse_at_end": "the reverse half of h_last must be the state after",
    "wrong_birnn_flips_whole_batch": "the whole batch is flipped in time",
    "wrong_birnn_stacks_directions": "raised ValueError",
    "wrong_deep_every_layer_reads_x": "every layer reads x",
    "wrong_deep_lengths_first_layer_only": "lengths reaches the first layer only",
    "wrong_deep_returns_every_layers_hs": "should return a pair (hs, h_lasts)",
    "wrong_deep_top_h_last_only": "h_lasts should be a list",
    "wrong_deep_bidirectional_forward_only": "raised ValueError",
    "wrong_deep_h_lasts_reversed": "h_lasts comes out last layer first",
    "wrong_count_ignores_bidirectional": "bidirectional=True is ignored",
    "wrong_count_bidirectional_input_not_doubled": "reads both halves",
    "wrong_count_two_biases": "two biases per direction",
    "wrong_count_no_biases": "the biases are not counted",
    "wrong_count_returns_float": "whole number of type int",
}


@pytest.mark.parametrize(("name", "words"), DIAGNOSES.items(), ids=list(DIAGNOSES))
def test_hidden_tests_name_the_mistake(name, words):
    impl = next(i for i in WRONG if i.name == name)
    first = f"{next(iter(impl.cells))}-tests"
    assert words in run_tests(impl.cells, "hidden")[first]


def test_every_wrong_implementation_has_a_diagnosis():
    assert sorted(DIAGNOSES) == sorted(i.name for i in WRONG)
