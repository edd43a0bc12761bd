"""rnn_forward returns h_0, h_1, ..., h_T (T + 1 states)."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b):
    states = [h0]
    for t in range(x.shape[1]):
        states.append(rnn_step(x[:, t], states[-1], W, U, b))
    return np.stack(states, axis=1)
