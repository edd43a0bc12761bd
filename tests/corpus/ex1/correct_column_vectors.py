"""The math's column vectors: W @ h with states as columns, transposed back at the end."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% ewma
def ewma(x, alpha, s0=0.0):
    x = np.array(x, dtype=float)
    s = np.zeros(x.size)
    s_prev = s0
    for t in range(x.size):
        s[t] = (1 - alpha) * s_prev + alpha * x[t]
        s_prev = s[t]
    return s


# %% rnn-step
def rnn_step(x_t, h_prev, W, U, b):
    h_cols = np.tanh(W @ h_prev.T + U @ x_t.T + b[:, None])  # (H, B): one column per sequence
    return h_cols.T


# %% rnn-forward
def rnn_forward(x, h0, W, U, b):
    h = h0.T  # (H, B)
    columns = []
    for t in range(x.shape[1]):
        h = np.tanh(W @ h + U @ x[:, t].T + b.reshape(-1, 1))
        columns.append(h)
    return np.stack(columns).transpose(2, 0, 1)  # (T, H, B) -> (B, T, H)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, h0s=None):
    result = []
    below = x
    for i, layer in enumerate(layers):
        H = layer["W"].shape[0]
        start = np.zeros((x.shape[0], H)) if h0s is None else h0s[i]
        below = rnn_forward(below, start, layer["W"], layer["U"], layer["b"])
        result.append(below)
    return result


# %% count-parameters
def count_parameters(input_size, hidden_sizes):
    shapes = []
    H_in = input_size
    for H in hidden_sizes:
        shapes += [(H, H), (H, H_in), (H,)]
        H_in = H
    return sum(int(np.prod(shape)) for shape in shapes)
