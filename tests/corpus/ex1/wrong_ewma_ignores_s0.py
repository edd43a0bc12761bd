"""ewma always starts from 0, whatever s0 is."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% ewma
def ewma(x, alpha, s0=0.0):
    s, out = 0.0, []
    for x_t in x:
        s = (1 - alpha) * s + alpha * x_t
        out.append(s)
    return np.array(out)
