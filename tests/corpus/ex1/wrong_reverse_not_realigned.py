"""rnn_forward in reverse reads each sequence backwards but stores the states in reading order."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b, lengths=None, reverse=False):
    B, T, _ = x.shape
    lengths = np.full(B, T) if lengths is None else np.asarray(lengths)
    hs = np.zeros((B, T, W.shape[0]))
    h_last = np.array(h0, dtype=float)
    for i in range(B):
        h = h_last[i]
        steps = range(lengths[i])
        for k, t in enumerate(steps[::-1] if reverse else steps):
            h = np.tanh(W @ h + U @ x[i, t] + b)
            hs[i, k] = h  # the k-th state read, not the state at step t
        h_last[i] = h
    return hs, h_last
