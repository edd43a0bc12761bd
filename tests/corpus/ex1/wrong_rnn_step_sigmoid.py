"""rnn_step uses the logistic sigmoid instead of tanh."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% rnn-step
def rnn_step(x_t, h_prev, W, U, b):
    return 1 / (1 + np.exp(-(h_prev @ W.T + x_t @ U.T + b)))
