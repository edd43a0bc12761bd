"""Vectorised with einsum; ewma from its closed form as a weighted sum of the inputs."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% ewma
def ewma(x, alpha, s0=0.0):
    x = np.asarray(x, dtype=float)
    T = x.shape[0]
    t = np.arange(1, T + 1)
    lags = t[:, None] - t[None, :]  # (T, T): t - k
    weights = np.where(lags >= 0, alpha * (1 - alpha) ** np.maximum(lags, 0), 0.0)
    return np.einsum("tk,k->t", weights, x) + (1 - alpha) ** t * s0


# %% rnn-step
def rnn_step(x_t, h_prev, W, U, b):
    return np.tanh(np.einsum("hk,bk->bh", W, h_prev) + np.einsum("hd,bd->bh", U, x_t) + b)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b):
    projected = np.einsum("btd,hd->bth", x, U) + b  # all input terms at once
    hs = np.empty(projected.shape)
    h = h0
    for t in range(x.shape[1]):
        h = np.tanh(projected[:, t] + np.einsum("bk,hk->bh", h, W))
        hs[:, t] = h
    return hs


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, h0s=None):
    if h0s is None:
        h0s = [np.zeros((x.shape[0], len(p["b"]))) for p in layers]
    hs = []
    for p, h0 in zip(layers, h0s, strict=True):
        x = rnn_forward(x, h0, **p)
        hs.append(x)
    return hs


# %% count-parameters
def count_parameters(input_size, hidden_sizes):
    H = np.array(hidden_sizes)
    H_in = np.array([input_size, *hidden_sizes[:-1]])
    return int(np.sum(H * H + H * H_in + H))
