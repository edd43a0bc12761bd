"""birnn_forward makes the reverse direction itself: flip x in time, run forwards, flip back."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% birnn-forward
def birnn_forward(x, fwd, bwd, lengths=None):
    B = x.shape[0]
    f = rnn_forward(x, np.zeros((B, len(fwd["b"]))), fwd["W"], fwd["U"], fwd["b"], lengths)
    r = rnn_forward(x[:, ::-1], np.zeros((B, len(bwd["b"]))), bwd["W"], bwd["U"], bwd["b"], lengths)
    return np.concatenate([f[0], r[0][:, ::-1]], -1), np.concatenate([f[1], r[1]], -1)
