"""rnn_forward reads the sequence from the last step to the first."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b):
    B, T, _ = x.shape
    h = h0
    out = np.zeros((B, T, W.shape[0]))
    for t in reversed(range(T)):
        h = rnn_step(x[:, t], h, W, U, b)
        out[:, t] = h
    return out
