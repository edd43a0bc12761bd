"""ewma returns s_0, s_1, ..., s_T: the start value is part of the output."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% ewma
def ewma(x, alpha, s0=0.0):
    s = [s0]
    for x_t in x:
        s.append((1 - alpha) * s[-1] + alpha * x_t)
    return np.array(s)
