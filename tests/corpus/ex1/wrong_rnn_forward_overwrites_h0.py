"""rnn_forward updates the state in place in h0's memory (right values, h0 destroyed)."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b):
    h = h0
    states = []
    for t in range(x.shape[1]):
        h[:] = rnn_step(x[:, t], h, W, U, b)
        states.append(h.copy())
    return np.stack(states, axis=1)
