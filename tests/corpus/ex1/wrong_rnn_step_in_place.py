"""rnn_step writes the new state into h_prev to save memory."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% rnn-step
def rnn_step(x_t, h_prev, W, U, b):
    h_prev[:] = np.tanh(h_prev @ W.T + x_t @ U.T + b)
    return h_prev
