"""ewma records the average before updating it: s_0, ..., s_(T-1)."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% ewma
def ewma(x, alpha, s0=0.0):
    s, out = s0, []
    for x_t in x:
        out.append(s)
        s = (1 - alpha) * s + alpha * x_t
    return np.array(out)
