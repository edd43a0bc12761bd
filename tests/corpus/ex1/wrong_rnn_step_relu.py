"""rnn_step uses ReLU instead of tanh."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% rnn-step
def rnn_step(x_t, h_prev, W, U, b):
    return np.maximum(0, h_prev @ W.T + x_t @ U.T + b)
