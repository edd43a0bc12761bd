"""Functional style: itertools.accumulate, recursion over time, functools.reduce over layers."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% ewma
def ewma(x, alpha, s0=0.0):
    import itertools

    steps = itertools.accumulate(x, lambda s, x_t: (1 - alpha) * s + alpha * x_t, initial=s0)
    return np.fromiter(steps, dtype=float)[1:]


# %% rnn-step
def rnn_step(x_t, h_prev, W, U, b):
    z = np.concatenate([h_prev, x_t], axis=1) @ np.concatenate([W, U], axis=1).T
    return np.tanh(z + b)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b):
    if x.shape[1] == 0:
        return np.zeros((x.shape[0], 0, W.shape[0]))
    h1 = rnn_step(x[:, 0], h0, W, U, b)
    rest = rnn_forward(x[:, 1:], h1, W, U, b)
    return np.concatenate([h1[:, None, :], rest], axis=1)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, h0s=None):
    import functools

    if h0s is None:
        h0s = [np.zeros((x.shape[0], layer["b"].shape[0])) for layer in layers]

    def add_layer(stack, pair):
        layer, h0 = pair
        below = stack[-1] if stack else x
        return [*stack, rnn_forward(below, h0, layer["W"], layer["U"], layer["b"])]

    return functools.reduce(add_layer, zip(layers, h0s, strict=True), [])


# %% count-parameters
def count_parameters(input_size, hidden_sizes):
    if not hidden_sizes:
        return 0
    *below, H = hidden_sizes
    H_in = below[-1] if below else input_size
    return count_parameters(input_size, below) + H * H + H * H_in + H
