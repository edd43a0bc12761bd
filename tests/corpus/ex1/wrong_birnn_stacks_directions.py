"""birnn_forward stacks the two directions in a new axis instead of side by side."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% birnn-forward
def birnn_forward(x, fwd, bwd, lengths=None):
    B = x.shape[0]
    f = rnn_forward(x, np.zeros((B, len(fwd["b"]))), fwd["W"], fwd["U"], fwd["b"], lengths)
    r = rnn_forward(x, np.zeros((B, len(bwd["b"]))), bwd["W"], bwd["U"], bwd["b"], lengths, True)
    return np.stack([f[0], r[0]]), np.stack([f[1], r[1]])
