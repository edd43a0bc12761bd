"""Exercise 2's hidden tests, on their own, catch every wrong implementation and pass every correct one.

These run in this process, without nbgrader: the notebook's code cells are executed in order in a
fresh namespace, with each test cell cut down to its imports and its hidden region, so a wrong
implementation cannot pass here just because a visible test happened to catch it first. Given
cells that fail are recorded, as nbgrader would run on past them. Each run trains the network of
part 4 (in the hidden test and in part 5), so a run takes seconds, not milliseconds.
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
TEST_CELLS = ["rnn-backward-tests", "last-state-loss-tests", "train-classifier-tests"]


def run_notebook(answers: dict[str, str], *, hidden: bool = True) -> dict[str, str | None]:
    """Test cell grade_id -> None if it passes, else 'ErrorType: message'.

    With ``hidden`` the test cells run their hidden region only, and part 5's experiments (two
    more training runs that no test reads) are skipped; otherwise every cell runs whole, and
    other cells that raise are recorded under ``"given"`` (a list of their errors).
    """
    import matplotlib.pyplot as plt

    namespace: dict = {}
    outcome: dict = {} if hidden else {"given": []}
    for index, cell in enumerate(SOURCE.cells):
        if cell.cell_type != "code":
            continue
        gid = cell.metadata.get("nbgrader", {}).get("grade_id", f"cell-{index}")
        if hidden and gid == "experiments":
            continue
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


OUTCOMES: dict[str, dict] = {}  # name -> outcome with hidden tests only, computed once


def hidden_outcome(impl: Implementation) -> dict[str, str | None]:
    """``run_notebook(impl.cells)``, run once per implementation for the tests below."""
    if impl.name not in OUTCOMES:
        OUTCOMES[impl.name] = run_notebook(impl.cells)
    return OUTCOMES[impl.name]


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
    assert_caught_in_words(hidden_outcome(impl), impl)


# The mistakes that the hidden tests can name exactly, and the words they use.
DIAGNOSES = {
    "wrong_backward_no_carry": "not carried back through time",
    "wrong_backward_ignores_lengths": "the padded steps are not skipped",
    "wrong_backward_mask_off_by_one": "the step t = lengths[i] is read as a real one",
    "wrong_backward_carry_through_padding": "carried back into the real steps",
    "wrong_backward_dx_at_padding": "is not 0 at every padded step",
    "wrong_backward_weights_from_padding": "add terms from padded steps",
    "wrong_backward_dh0_zero_for_short_sequences": "0 for the sequences shorter than T",
    "wrong_backward_carry_cut_at_sequence_end": "the carry is cut at each sequence's last real step",
    "wrong_backward_lengths_list_crashes": "raised TypeError (for B = 3, T = 5, D = 4, H = 6, "
    "float64 inputs, lengths ragged list)",
    "wrong_backward_last_step_only": "only the direct gradient of step T - 1",
    "wrong_backward_dW_transposed": "dW is transposed",
    "wrong_backward_dU_transposed": "dU is transposed",
    "wrong_backward_carry_with_W_transposed": "the carry is multiplied by W.T",
    "wrong_backward_tanh_derivative": "tanh'(a_t) is 1 - h_t**2, not 1 - h_t",
    "wrong_backward_tanh_twice": "tanh is applied twice",
    "wrong_backward_no_bias_gradient": "the bias gradient is 0",
    "wrong_backward_bias_averaged": "averaged over the batch",
    "wrong_backward_current_state_as_previous": "pairs eps_t with the current state",
    "wrong_backward_dh0_without_W": "must pass through W",
    "wrong_backward_overwrites_dhs": "changed its input dhs in place",
    "wrong_backward_forward_in_time": "run forwards in time",
    "wrong_backward_float32": "as if rounded to float32",
    "wrong_backward_returns_tuple": "should be a dict",
    "wrong_loss_overflows": "exp overflows; subtract each row's largest logit",
    "wrong_loss_log_of_softmax": "is wrong, though it is right for small logits",
    "wrong_loss_summed": "the loss is summed over the batch",
    "wrong_loss_gradients_not_divided": "the gradients are not divided by B",
    "wrong_loss_no_one_hot": "the one-hot targets are not subtracted",
    "wrong_loss_dV_transposed": "dV is transposed",
    "wrong_loss_dc_not_summed": "dc must be summed over the batch",
    "wrong_loss_returns_array": "should be a number (a float), but it is an array of shape (1,)",
    "wrong_loss_softmax_over_batch": "the softmax runs over the batch",
    "wrong_loss_shifts_c_in_place": "changed its input c in place",
    "wrong_train_bag_of_characters": "ignores the order of the characters",
    "wrong_train_canned": "must learn from the data it is given",
    "wrong_train_reads_padding": "it has learned from the padding",
    "wrong_train_last_column": "does the training loss go down?",
    "wrong_train_untrained": "does the training loss go down?",
    "wrong_train_gradient_ascent": "does the training loss go down?",
}


@pytest.mark.parametrize(("name", "words"), DIAGNOSES.items(), ids=list(DIAGNOSES))
def test_hidden_tests_name_the_mistake(name, words):
    impl = next(i for i in WRONG if i.name == name)
    first = f"{next(iter(impl.cells))}-tests"
    assert words in hidden_outcome(impl)[first]


def test_every_wrong_implementation_has_a_diagnosis():
    assert sorted(DIAGNOSES) == sorted(i.name for i in WRONG)
