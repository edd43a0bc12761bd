"""ewma starts the average at x_1 (a common pandas-style start) and ignores s0."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% ewma
def ewma(x, alpha, s0=0.0):
    x = np.asarray(x, dtype=float)
    s = np.empty_like(x)
    s[0] = x[0]
    for t in range(1, len(x)):
        s[t] = (1 - alpha) * s[t - 1] + alpha * x[t]
    return s
