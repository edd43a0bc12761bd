"""rnn_forward in reverse starts every sequence at step T - 1, reading its padding first."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b, lengths=None, reverse=False):
    B, T, _ = x.shape
    lengths = np.full(B, T) if lengths is None else np.asarray(lengths)
    hs = np.zeros((B, T, W.shape[0]))
    h = h0
    for t in range(T - 1, -1, -1) if reverse else range(T):
        real = (t < lengths)[:, None]
        step = np.tanh(h @ W.T + x[:, t] @ U.T + b)
        h = step if reverse else np.where(real, step, h)  # reverse: "no need, it ends at 0"
        hs[:, t] = np.where(real, h, 0)
    return hs, h
