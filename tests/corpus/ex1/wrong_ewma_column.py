"""ewma returns a column of shape (T, 1) instead of a flat array."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% ewma
def ewma(x, alpha, s0=0.0):
    x = np.asarray(x, dtype=float).reshape(-1, 1)
    s = np.zeros_like(x)
    prev = s0
    for t in range(len(x)):
        prev = (1 - alpha) * prev + alpha * x[t]
        s[t] = prev
    return s
