"""Exercise 1's worked solution agrees with PyTorch's packed-sequence RNN, the independent oracle.

DESIGN §6 gives ragged batches PyTorch's meaning: ``nn.RNN(batch_first=True, bidirectional=...)``
fed with ``pack_padded_sequence``. The solution's functions are taken from the answer cells of
``source/ex1-forward`` (run in a fresh namespace) and compared, in float64, on random ragged
batches whose padding holds large random numbers. torch is a test-only dependency.
"""

from __future__ import annotations

import nbformat
import numpy as np
import pytest
from nbgrader_course import answer_code

from conftest import REPO
from rnncourse.grading.validate import is_answer, is_test

torch = pytest.importorskip("torch")
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: E402

TOL = {"rtol": 1e-12, "atol": 1e-12}


@pytest.fixture(scope="module")
def solution() -> dict:
    """The worked solution's functions: the notebook's code cells without its test cells."""
    nb = nbformat.read(REPO / "source" / "ex1-forward" / "ex1-forward.ipynb", as_version=4)
    namespace: dict = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and not is_test(cell):
            exec(answer_code(cell) if is_answer(cell) else cell.source, namespace)
    return namespace


def ragged_batch(rng, B, T, D):
    """x (B, T, D) with large random numbers in the padding, and lengths (B,) with 1 and T."""
    lengths = rng.integers(1, T + 1, size=B)
    lengths[rng.permutation(B)[:2]] = [1, T][: min(B, 2)]
    x = rng.normal(size=(B, T, D))
    for b in range(B):
        x[b, lengths[b] :] = 1e3 * rng.normal(size=(T - lengths[b], D))
    return x, lengths


def direction(rng, H, H_in):
    return {
        "W": 1.2 * rng.normal(size=(H, H)) / np.sqrt(H),
        "U": rng.normal(size=(H, H_in)) / np.sqrt(H_in),
        "b": 0.5 * rng.normal(size=H),
    }


def torch_rnn(layers: list[list[dict]], bidirectional: bool):
    """nn.RNN in float64 holding these parameters: layers[l] = [fwd] or [fwd, bwd].

    PyTorch adds two biases, bias_ih and bias_hh; this course's layer has one, so bias_hh = 0.
    """
    H_in, H = layers[0][0]["U"].shape[1], layers[0][0]["W"].shape[0]
    rnn = torch.nn.RNN(
        H_in, H, num_layers=len(layers), batch_first=True, bidirectional=bidirectional
    ).double()
    with torch.no_grad():
        for i, dirs in enumerate(layers):
            for p, suffix in zip(dirs, ["", "_reverse"], strict=False):
                getattr(rnn, f"weight_hh_l{i}{suffix}").copy_(torch.from_numpy(p["W"]))
                getattr(rnn, f"weight_ih_l{i}{suffix}").copy_(torch.from_numpy(p["U"]))
                getattr(rnn, f"bias_ih_l{i}{suffix}").copy_(torch.from_numpy(p["b"]))
                getattr(rnn, f"bias_hh_l{i}{suffix}").zero_()
    return rnn


def run_torch(rnn, x, lengths, h0=None):
    """(hs (B, T, H·directions) with 0 at padded steps, h_n (layers·directions, B, H))."""
    packed = pack_padded_sequence(
        torch.from_numpy(x), torch.as_tensor(lengths), batch_first=True, enforce_sorted=False
    )
    with torch.no_grad():
        out, h_n = rnn(packed, None if h0 is None else torch.from_numpy(h0))
    hs, _ = pad_packed_sequence(out, batch_first=True, total_length=x.shape[1])
    return hs.numpy(), h_n.numpy()


@pytest.mark.parametrize(("B", "T", "D", "H"), [(5, 7, 3, 4), (1, 1, 2, 2), (6, 9, 4, 4)])
def test_rnn_forward_in_both_directions_matches_packed_nn_rnn(solution, B, T, D, H):
    rng = np.random.default_rng(B * 100 + T)
    x, lengths = ragged_batch(rng, B, T, D)
    fwd, bwd = direction(rng, H, D), direction(rng, H, D)
    h0 = rng.uniform(-0.9, 0.9, size=(2, B, H))  # one initial state per direction
    hs, h_n = run_torch(torch_rnn([[fwd, bwd]], bidirectional=True), x, lengths, h0)
    for k, (p, reverse) in enumerate([(fwd, False), (bwd, True)]):
        ours, last = solution["rnn_forward"](
            x, h0[k], p["W"], p["U"], p["b"], lengths=lengths, reverse=reverse
        )
        np.testing.assert_allclose(ours, hs[..., k * H : (k + 1) * H], **TOL)
        np.testing.assert_allclose(last, h_n[k], **TOL)


@pytest.mark.parametrize("lengths_as", [list, np.asarray])
def test_birnn_forward_matches_a_bidirectional_nn_rnn_from_zeros(solution, lengths_as):
    rng = np.random.default_rng(7)
    x, lengths = ragged_batch(rng, 6, 8, 3)
    fwd, bwd = direction(rng, 5, 3), direction(rng, 5, 3)
    hs, h_n = run_torch(torch_rnn([[fwd, bwd]], bidirectional=True), x, lengths)
    ours, last = solution["birnn_forward"](x, fwd, bwd, lengths_as(lengths.tolist()))
    np.testing.assert_allclose(ours, hs, **TOL)
    np.testing.assert_allclose(last, np.concatenate([h_n[0], h_n[1]], axis=-1), **TOL)


@pytest.mark.parametrize("bidirectional", [False, True])
def test_deep_rnn_forward_matches_a_multi_layer_nn_rnn(solution, bidirectional):
    rng = np.random.default_rng(11 + bidirectional)
    B, T, D, H, L = 5, 6, 3, 4, 3
    x, lengths = ragged_batch(rng, B, T, D)
    k = 2 if bidirectional else 1
    params = [[direction(rng, H, D if i == 0 else k * H) for _ in range(k)] for i in range(L)]
    hs, h_n = run_torch(torch_rnn(params, bidirectional), x, lengths)
    layers = [{"fwd": p[0], "bwd": p[1]} if bidirectional else p[0] for p in params]
    top, h_lasts = solution["deep_rnn_forward"](x, layers, lengths)
    np.testing.assert_allclose(top, hs, **TOL)
    for i, h_last in enumerate(h_lasts):  # h_n holds layer i's directions at k*i, k*i + 1
        np.testing.assert_allclose(h_last, np.concatenate(list(h_n[k * i : k * i + k]), -1), **TOL)


def test_a_mixed_stack_matches_nn_rnn_layers_chained(solution):
    """One direction, then both, then one: torch's layers fed one another's padded output."""
    rng = np.random.default_rng(13)
    x, lengths = ragged_batch(rng, 4, 7, 2)
    first = direction(rng, 3, 2)
    middle = [direction(rng, 4, 3), direction(rng, 4, 3)]
    last = direction(rng, 2, 8)
    h1, n1 = run_torch(torch_rnn([[first]], False), x, lengths)
    h2, n2 = run_torch(torch_rnn([middle], True), h1, lengths)
    h3, n3 = run_torch(torch_rnn([[last]], False), h2, lengths)
    layers = [first, {"fwd": middle[0], "bwd": middle[1]}, last]
    top, h_lasts = solution["deep_rnn_forward"](x, layers, lengths)
    np.testing.assert_allclose(top, h3, **TOL)
    for ours, theirs in zip(h_lasts, [n1[0], np.concatenate(n2, -1), n3[0]], strict=True):
        np.testing.assert_allclose(ours, theirs, **TOL)


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize(("D", "H", "L"), [(1, 1, 1), (3, 4, 2), (7, 5, 3)])
def test_count_parameters_is_nn_rnns_count_with_one_bias_per_direction(
    solution, D, H, L, bidirectional
):
    rnn = torch.nn.RNN(D, H, num_layers=L, bidirectional=bidirectional)
    second_biases = sum(p.numel() for name, p in rnn.named_parameters() if "bias_hh" in name)
    total = sum(p.numel() for p in rnn.parameters()) - second_biases
    assert solution["count_parameters"](D, [H] * L, bidirectional) == total
