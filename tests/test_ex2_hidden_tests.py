"""Exercise 2's hidden tests, on their own, catch every wrong implementation and pass every correct one.

These run in this process, without nbgrader: the notebook's code cells are executed in order in a
fresh namespace, with each test cell cut down to its imports and its hidden region, so a wrong
implementation cannot pass here just because a visible test happened to catch it first. Given
cells that fail (a wrong ``make_windows`` breaks the data cell) are skipped, as nbgrader would.
`test_exercises_grading.py` then proves the same through nbgrader itself.
"""

from __future__ import annotations

import contextlib
import io
import warnings

import matplotlib
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

matplotlib.use("Agg")

SOURCE = nbformat.read(REPO / "source" / "ex2-bptt" / "ex2-bptt.ipynb", as_version=4)
IMPLEMENTATIONS = corpus("ex2")
WRONG = [impl for impl in IMPLEMENTATIONS if not impl.correct]
CORRECT = [impl for impl in IMPLEMENTATIONS if impl.correct]
TEST_CELLS = [
    "rnn-backward-tests",
    "clip-by-global-norm-tests",
    "make-windows-tests",
    "forecaster-loss-and-grads-tests",
]


def run_notebook(answers: dict[str, str], *, hidden: bool = True) -> dict[str, str | None]:
    """Test cell grade_id -> None if it passes, else 'ErrorType: message'.

    With ``hidden`` the test cells run their hidden region only; otherwise they run whole.
    Other cells that raise are recorded under ``"given"`` (a list of their errors) when the test
    cells run whole; with ``hidden`` a figure may miss what a visible test computed, so not then.
    """
    import matplotlib.pyplot as plt

    namespace: dict = {}
    outcome: dict = {} if hidden else {"given": []}
    for index, cell in enumerate(SOURCE.cells):
        if cell.cell_type != "code":
            continue
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell-{index}")
        source = cell.source
        if is_answer(cell):
            source = answers.get(gid, answer_code(cell))
        elif is_test(cell) and hidden:
            source = hidden_only(source)
        try:
            with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                exec(compile(source, f"<{gid}>", "exec"), namespace)
        except Exception as exc:
            text = f"{type(exc).__name__}: {exc}"
            if is_test(cell):
                outcome[gid] = text
            elif not hidden:
                outcome["given"].append(f"{gid}: {text}")
        else:
            if is_test(cell):
                outcome[gid] = None
        plt.close("all")
    return outcome


def test_every_test_cell_has_hidden_tests():
    tests = [c for c in SOURCE.cells if is_test(c)]
    assert [c.metadata.nbgrader["grade_id"] for c in tests] == TEST_CELLS
    assert all(HIDDEN[0] in c.source for c in tests)


def test_the_reference_solution_passes_every_test_visible_and_hidden():
    outcome = run_notebook({}, hidden=False)
    assert outcome == {"given": [], **dict.fromkeys(TEST_CELLS)}
    assert run_notebook({}) == dict.fromkeys(TEST_CELLS)


@pytest.mark.parametrize("impl", CORRECT, ids=[i.name for i in CORRECT])
def test_a_correct_implementation_passes_every_test(impl: Implementation):
    outcome = run_notebook(impl.cells, hidden=False)
    assert outcome == {"given": [], **dict.fromkeys(TEST_CELLS)}, impl.what
    assert run_notebook(impl.cells) == dict.fromkeys(TEST_CELLS), impl.what


@pytest.mark.parametrize("impl", WRONG, ids=[i.name for i in WRONG])
def test_hidden_tests_alone_catch_a_wrong_implementation_in_words(impl: Implementation):
    outcome = run_notebook(impl.cells)
    assert_caught_in_words(outcome, impl)


# The mistakes that the hidden tests can name exactly, and the words they use.
DIAGNOSES = {
    "wrong_backward_no_carry": "not carried back through time",
    "wrong_backward_tanh_derivative": "tanh'(a_t) is 1 - h_t**2, not 1 - h_t",
    "wrong_backward_tanh_twice": "tanh is applied twice",
    "wrong_backward_current_state_as_previous": "pairs eps_t with the current state",
    "wrong_backward_dh0_zero": "the gradient for h0 is zero",
    "wrong_backward_dh0_missing": "has no key 'h0'",
    "wrong_backward_dh0_without_W": "must pass through W",
    "wrong_backward_dW_transposed": "dW is transposed",
    "wrong_backward_dU_transposed": "dU is transposed",
    "wrong_backward_carry_with_W_transposed": "the carry is multiplied by W.T",
    "wrong_backward_bias_averaged": "averaged over the batch",
    "wrong_backward_forward_in_time": "run forwards in time",
    "wrong_backward_carry_skips_tanh": "the carry skips the derivative of tanh",
    "wrong_backward_last_step_only": "only the direct gradient of the last step",
    "wrong_backward_weights_overwritten": "keep only one step",
    "wrong_backward_float32": "as if rounded to float32",
    "wrong_backward_overwrites_dhs": "changed its input dhs in place",
    "wrong_backward_returns_tuple": "should be a dict",
    "wrong_backward_fools_equality": "is an object of type Anything",
    "wrong_clip_per_tensor": "clipped by its own norm",
    "wrong_clip_elementwise": "each entry is clipped on its own",
    "wrong_clip_rescales_small_gradients": "smaller than max_norm are stretched",
    "wrong_clip_mutates_input": "changed its input grads in place",
    "wrong_clip_norm_after_clipping": "measured after clipping",
    "wrong_clip_sum_of_norms": "adds up the norms",
    "wrong_clip_divides_by_zero": "for gradients that are all zero",
    "wrong_clip_nan_for_zero_gradients": "contains NaN or infinite values (for gradients that",
    "wrong_windows_target_inside": "the target is inside its window",
    "wrong_windows_no_feature_axis": "the feature axis is missing",
    "wrong_windows_one_short": "one window is missing",
    "wrong_windows_one_too_many": "one window too many",
    "wrong_windows_reversed": "runs backwards",
    "wrong_forecaster_gradient_at_every_step": "sent to every step",
    "wrong_forecaster_gradient_at_first_step": "sent to the first step",
    "wrong_forecaster_no_readout_gradients": "has no keys 'V' and 'c'",
}


@pytest.mark.parametrize(("name", "words"), DIAGNOSES.items(), ids=list(DIAGNOSES))
def test_hidden_tests_name_the_mistake(name, words):
    impl = next(i for i in WRONG if i.name == name)
    first = f"{next(iter(impl.cells))}-tests"
    assert words in run_notebook(impl.cells)[first]


def test_every_wrong_implementation_has_a_diagnosis():
    assert sorted(DIAGNOSES) == sorted(i.name for i in WRONG)
