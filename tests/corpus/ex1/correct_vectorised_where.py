"""The mask of real steps built once; np.where keeps the state at padding; reverse with reversed()."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b, lengths=None, reverse=False):
    B, T, D = x.shape
    real = np.ones((B, T), bool) if lengths is None else np.arange(T) < np.reshape(lengths, (B, 1))
    xU = x @ U.T + b  # (B, T, H): every step's input term at once (padding too; never used)
    hs = np.zeros(xU.shape)
    h = h0
    for t in reversed(range(T)) if reverse else range(T):
        h = np.where(real[:, [t]], np.tanh(h @ W.T + xU[:, t]), h)
        hs[:, t] = np.where(real[:, [t]], h, 0.0)
    return hs, h
