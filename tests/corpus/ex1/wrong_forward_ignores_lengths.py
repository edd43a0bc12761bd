"""rnn_forward runs every sequence for all T steps, padding included (lecture 4's loop)."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b, lengths=None, reverse=False):
    B, T, _ = x.shape
    hs = np.zeros((B, T, W.shape[0]))
    h = h0
    for t in range(T - 1, -1, -1) if reverse else range(T):
        h = np.tanh(h @ W.T + x[:, t] @ U.T + b)
        hs[:, t] = h
    return hs, h
