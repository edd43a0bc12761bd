"""birnn_forward puts the reverse states first, then the forward ones."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% birnn-forward
def birnn_forward(x, fwd, bwd, lengths=None):
    B = x.shape[0]
    f = rnn_forward(x, np.zeros((B, len(fwd["b"]))), fwd["W"], fwd["U"], fwd["b"], lengths)
    r = rnn_forward(x, np.zeros((B, len(bwd["b"]))), bwd["W"], bwd["U"], bwd["b"], lengths, True)
    return np.concatenate([r[0], f[0]], -1), np.concatenate([r[1], f[1]], -1)
