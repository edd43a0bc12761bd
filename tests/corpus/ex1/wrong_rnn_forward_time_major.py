"""rnn_forward returns time-major states of shape (T, B, H)."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b):
    h, states = h0, []
    for t in range(x.shape[1]):
        h = rnn_step(x[:, t], h, W, U, b)
        states.append(h)
    return np.array(states)
