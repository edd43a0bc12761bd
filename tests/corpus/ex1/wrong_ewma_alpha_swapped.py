"""ewma gives the newest value the weight 1 - alpha and the memory alpha."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% ewma
def ewma(x, alpha, s0=0.0):
    s, out = s0, []
    for x_t in x:
        s = alpha * s + (1 - alpha) * x_t
        out.append(s)
    return np.array(out)
