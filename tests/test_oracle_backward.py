"""Exercise 2's worked solution agrees with PyTorch's autograd through a packed nn.RNN, the oracle.

DESIGN §6 gives ragged batches PyTorch's meaning: ``nn.RNN(batch_first=True)`` fed with
``pack_padded_sequence``. Autograd through it is the independent definition of what
``rnn_backward`` must return for a padded batch: gradients of ``L = sum(dhs * hs)``, where ``hs`` is
0 at padded steps (so ``dhs`` there changes nothing), and ``F.cross_entropy`` is the definition of
``last_state_loss``. The solution's functions come from the answer cells of ``source/ex2-bptt``;
everything runs in float64, on random ragged batches whose padding holds large random numbers and
whose ``dhs`` is not 0 at padded steps. Centred finite differences of torch's forward pass check
the same gradients without autograd. torch is a test-only dependency.
"""

from __future__ import annotations

import nbformat
import numpy as np
import pytest
from nbgrader_course import answer_code

from conftest import REPO
from rnncourse.gradcheck import numerical_gradient, numerical_gradient_array
from rnncourse.grading.validate import is_answer

torch = pytest.importorskip("torch")
import torch.nn.functional as F  # noqa: E402
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence  # noqa: E402

TOL = {"rtol": 1e-10, "atol": 1e-10}
CELLS = ("setup", "rnn-forward", "rnn-backward", "last-state-loss")  # no training needed here


@pytest.fixture(scope="module")
def solution() -> dict:
    """The worked solution's rnn_forward (given), rnn_backward and last_state_loss."""
    nb = nbformat.read(REPO / "source" / "ex2-bptt" / "ex2-bptt.ipynb", as_version=4)
    namespace: dict = {}
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in CELLS:
            exec(answer_code(cell) if is_answer(cell) else cell.source, namespace)
    return namespace


def ragged_case(seed, B, T, D, H, *, full=False):
    """A padded batch (large numbers in the padding), a layer, and dhs that is not 0 anywhere."""
    rng = np.random.default_rng(seed)
    lengths = np.full(B, T) if full else rng.integers(1, T + 1, size=B)
    if not full and B > 1:
        lengths[rng.permutation(B)[:2]] = [1, T]
    x = rng.normal(size=(B, T, D))
    for i in range(B):
        x[i, lengths[i] :] = 1e3 * rng.normal(size=(T - lengths[i], D))
    layer = {
        "x": x,
        "h0": rng.uniform(-0.9, 0.9, size=(B, H)),
        "W": 1.2 * rng.normal(size=(H, H)) / np.sqrt(H),
        "U": rng.normal(size=(H, D)) / np.sqrt(D),
        "b": 0.5 * rng.normal(size=H),
    }
    return layer, lengths, rng.normal(size=(B, T, H))


def torch_forward(layer, lengths, track=False):
    """(hs padded with 0, h_n (B, H), the tensors that autograd differentiates) from nn.RNN."""
    B, T, D = layer["x"].shape
    H = layer["W"].shape[0]
    rnn = torch.nn.RNN(D, H, batch_first=True).double()
    with torch.no_grad():
        rnn.weight_hh_l0.copy_(torch.from_numpy(layer["W"]))
        rnn.weight_ih_l0.copy_(torch.from_numpy(layer["U"]))
        rnn.bias_ih_l0.copy_(torch.from_numpy(layer["b"]))
        rnn.bias_hh_l0.zero_()  # the course's layer has one bias
    rnn.bias_hh_l0.requires_grad_(False)
    x = torch.tensor(layer["x"], requires_grad=track)
    h0 = torch.tensor(layer["h0"][None], requires_grad=track)
    packed = pack_padded_sequence(
        x, torch.as_tensor(lengths), batch_first=True, enforce_sorted=False
    )
    out, h_n = rnn(packed, h0)
    hs, _ = pad_packed_sequence(out, batch_first=True, total_length=T)
    leaves = {"x": x, "h0": h0, "W": rnn.weight_hh_l0, "U": rnn.weight_ih_l0, "b": rnn.bias_ih_l0}
    return hs, h_n[0], leaves


def autograd(loss, leaves: dict) -> dict:
    """d loss / d each leaf, as NumPy arrays (h0 without torch's leading layer axis)."""
    grads = torch.autograd.grad(loss, list(leaves.values()))
    out = {k: g.detach().numpy() for k, g in zip(leaves, grads, strict=True)}
    if "h0" in out:
        out["h0"] = out["h0"][0]
    return out


CASES = [(5, 7, 3, 4, False), (1, 1, 2, 3, False), (4, 6, 4, 4, False), (3, 5, 2, 6, True)]


@pytest.mark.parametrize(("B", "T", "D", "H", "full"), CASES)
def test_rnn_backward_matches_autograd_through_a_packed_nn_rnn(solution, B, T, D, H, full):
    layer, lengths, dhs = ragged_case(B * 10 + T, B, T, D, H, full=full)
    hs, _, leaves = torch_forward(layer, lengths, track=True)
    theirs = autograd((hs * torch.from_numpy(dhs)).sum(), leaves)
    ours_hs, _ = solution["rnn_forward"](**layer, lengths=lengths)
    np.testing.assert_allclose(ours_hs, hs.detach().numpy(), **TOL)
    ours = solution["rnn_backward"](
        **layer, hs=ours_hs, dhs=dhs, lengths=None if full else list(lengths)
    )
    assert sorted(ours) == sorted(theirs)
    for name in theirs:
        np.testing.assert_allclose(ours[name], theirs[name], **TOL, err_msg=name)
    padded = np.arange(T) >= lengths[:, None]
    assert np.all(ours["x"][padded] == 0)


def test_a_many_to_one_loss_matches_cross_entropy_on_h_n(solution):
    """last_state_loss on h_last, its gradient put into dhs at lengths - 1, then rnn_backward."""
    B, T, D, H, K = 6, 8, 3, 5, 4
    layer, lengths, _ = ragged_case(3, B, T, D, H)
    rng = np.random.default_rng(4)
    V, c, y = rng.normal(size=(K, H)), rng.normal(size=K), rng.integers(0, K, size=B)
    hs, h_n, leaves = torch_forward(layer, lengths, track=True)
    V_t, c_t = torch.tensor(V, requires_grad=True), torch.tensor(c, requires_grad=True)
    loss_t = F.cross_entropy(h_n @ V_t.T + c_t, torch.as_tensor(y))
    theirs = autograd(loss_t, {**leaves, "V": V_t, "c": c_t})

    ours_hs, h_last = solution["rnn_forward"](**layer, lengths=lengths)
    loss, g = solution["last_state_loss"](h_last, V, c, y)
    dhs = np.zeros_like(ours_hs)
    dhs[np.arange(B), lengths - 1] = g["h_last"]
    ours = {**solution["rnn_backward"](**layer, hs=ours_hs, dhs=dhs, lengths=lengths), **g}
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    np.testing.assert_allclose(h_last, h_n.detach().numpy(), **TOL)
    for name in theirs:
        np.testing.assert_allclose(ours[name], theirs[name], **TOL, err_msg=name)


@pytest.mark.parametrize("scale", [1.0, 1e4])
def test_last_state_loss_matches_cross_entropy_even_for_logits_of_size_1e4(solution, scale):
    rng = np.random.default_rng(int(scale))
    B, K, H = 7, 3, 4
    h = rng.uniform(-1, 1, size=(B, H))
    V, c = scale * rng.normal(size=(K, H)), scale * rng.normal(size=K) / 10
    y = rng.integers(0, K, size=B)
    tensors = {
        k: torch.tensor(v, requires_grad=True) for k, v in (("h_last", h), ("V", V), ("c", c))
    }
    loss_t = F.cross_entropy(tensors["h_last"] @ tensors["V"].T + tensors["c"], torch.as_tensor(y))
    theirs = autograd(loss_t, tensors)
    loss, ours = solution["last_state_loss"](h, V, c, y)
    assert type(loss) is float and np.isfinite(loss)
    assert loss == pytest.approx(loss_t.item(), rel=1e-12)
    for name in theirs:
        np.testing.assert_allclose(ours[name], theirs[name], **TOL, err_msg=name)


def test_rnn_backward_agrees_with_finite_differences_of_torchs_forward(solution):
    layer, lengths, dhs = ragged_case(9, 3, 5, 2, 3)
    hs, _ = solution["rnn_forward"](**layer, lengths=lengths)
    ours = solution["rnn_backward"](**layer, hs=hs, dhs=dhs, lengths=lengths)

    def states():
        with torch.no_grad():
            return torch_forward(layer, lengths)[0].numpy()

    for name, array in layer.items():
        numeric = numerical_gradient_array(states, array, dhs)
        np.testing.assert_allclose(ours[name], numeric, rtol=1e-6, atol=1e-8, err_msg=name)


def test_last_state_loss_agrees_with_finite_differences_of_cross_entropy(solution):
    rng = np.random.default_rng(12)
    h, V, c, y = rng.normal(size=(4, 3)), rng.normal(size=(5, 3)), rng.normal(size=5), [0, 4, 2, 4]
    _, ours = solution["last_state_loss"](h, V, c, np.array(y))

    def loss():
        logits = torch.from_numpy(h @ V.T + c)
        return F.cross_entropy(logits, torch.as_tensor(y)).item()

    for name, array in (("h_last", h), ("V", V), ("c", c)):
        numeric = numerical_gradient(loss, array)
        np.testing.assert_allclose(ours[name], numeric, rtol=1e-6, atol=1e-8, err_msg=name)
