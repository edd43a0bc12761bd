"""ewma stores the averages in a float32 array, losing precision for float64 input."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% ewma
def ewma(x, alpha, s0=0.0):
    s = np.zeros(len(x), dtype=np.float32)
    prev = s0
    for t, x_t in enumerate(x):
        prev = (1 - alpha) * prev + alpha * x_t
        s[t] = prev
    return s
