"""rnn_forward in reverse flips the padded batch in time, runs forwards with the same lengths, and flips back."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b, lengths=None, reverse=False):
    if reverse:
        hs, h_last = rnn_forward(x[:, ::-1], h0, W, U, b, lengths)
        return hs[:, ::-1], h_last
    B, T, _ = x.shape
    lengths = np.full(B, T) if lengths is None else np.asarray(lengths)
    hs = np.zeros((B, T, W.shape[0]))
    h = h0
    for t in range(T):
        real = (t < lengths)[:, None]
        h = np.where(real, np.tanh(h @ W.T + x[:, t] @ U.T + b), h)
        hs[:, t] = np.where(real, h, 0)
    return hs, h
