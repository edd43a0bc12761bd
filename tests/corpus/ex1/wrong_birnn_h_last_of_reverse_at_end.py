"""birnn_forward takes the reverse half of h_last at step lengths[b] - 1 instead of after step 0."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% birnn-forward
def birnn_forward(x, fwd, bwd, lengths=None):
    B, T, _ = x.shape
    n = np.full(B, T) if lengths is None else np.asarray(lengths)
    f = rnn_forward(x, np.zeros((B, len(fwd["b"]))), fwd["W"], fwd["U"], fwd["b"], lengths)
    r = rnn_forward(x, np.zeros((B, len(bwd["b"]))), bwd["W"], bwd["U"], bwd["b"], lengths, True)
    hs = np.concatenate([f[0], r[0]], -1)
    return hs, hs[np.arange(B), n - 1]
