"""ewma writes the averages into the input array (right values, input destroyed)."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% ewma
def ewma(x, alpha, s0=0.0):
    x = np.asarray(x, dtype=float)  # no copy when x is already a float64 array
    prev = s0
    for t in range(len(x)):
        x[t] = (1 - alpha) * prev + alpha * x[t]
        prev = x[t]
    return x
