"""rnn_step multiplies by W instead of W.T (wrong for a non-symmetric W)."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% rnn-step
def rnn_step(x_t, h_prev, W, U, b):
    return np.tanh(h_prev @ W + x_t @ U.T + b)
