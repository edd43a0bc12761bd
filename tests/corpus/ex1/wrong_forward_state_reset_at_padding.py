"""rnn_forward multiplies the state by the mask, so it is reset to 0 after a sequence ends."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b, lengths=None, reverse=False):
    B, T, _ = x.shape
    lengths = np.full(B, T) if lengths is None else np.asarray(lengths)
    hs = np.zeros((B, T, W.shape[0]))
    h = h0
    for t in range(T - 1, -1, -1) if reverse else range(T):
        m = (t < lengths)[:, None].astype(float)
        h = m * np.tanh(h @ W.T + x[:, t] @ U.T + b)
        hs[:, t] = h
    return hs, h
