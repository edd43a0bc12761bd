"""Keeps the inputs' precision: float32 in, float32 computation and float32 out."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% ewma
def ewma(x, alpha, s0=0.0):
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = x.astype(np.float64)
    a, s = x.dtype.type(alpha), x.dtype.type(s0)  # float32 stays float32
    out = np.empty_like(x)
    for t in range(x.shape[0]):
        s = (1 - a) * s + a * x[t]
        out[t] = s
    return out


# %% rnn-step
def rnn_step(x_t, h_prev, W, U, b):
    dtype = np.result_type(x_t, h_prev, W, U, b)
    return np.tanh(h_prev @ W.T + x_t @ U.T + b).astype(dtype, copy=False)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b):
    dtype = np.result_type(x, h0, W, U, b)
    hs = np.empty((x.shape[0], x.shape[1], W.shape[0]), dtype=dtype)
    h = h0
    for t in range(x.shape[1]):
        h = rnn_step(x[:, t], h, W, U, b)
        hs[:, t] = h
    return hs


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, h0s=None):
    hs = []
    for i, p in enumerate(layers):
        if h0s is None:
            h0 = np.zeros((x.shape[0], p["W"].shape[0]), dtype=x.dtype)
        else:
            h0 = h0s[i]
        x = rnn_forward(x, h0, p["W"], p["U"], p["b"])
        hs.append(x)
    return hs


# %% count-parameters
def count_parameters(input_size, hidden_sizes):
    sizes = np.array([input_size, *hidden_sizes], dtype=np.int64)
    H, H_in = sizes[1:], sizes[:-1]
    return (H * (H + H_in + 1)).sum()
