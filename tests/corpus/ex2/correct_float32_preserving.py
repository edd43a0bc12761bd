"""Computes in the dtype of its inputs (float32 stays float32); the norm as a 0-d array."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% rnn-backward
def rnn_backward(x, h0, W, U, b, hs, dhs):
    dtype = np.result_type(x, h0, W, U, b, hs, dhs)
    B, T, H = hs.shape
    eps = np.zeros((B, T, H), dtype=dtype)
    carry = np.zeros((B, H), dtype=dtype)
    one = dtype.type(1)
    for t in range(T - 1, -1, -1):
        eps[:, t] = (dhs[:, t] + carry) * (one - hs[:, t] ** 2)
        carry = eps[:, t] @ W
    h_prev = np.concatenate([h0[:, None], hs[:, :-1]], axis=1).astype(dtype)
    dW = np.tensordot(eps, h_prev, axes=([0, 1], [0, 1]))
    dU = np.tensordot(eps, x, axes=([0, 1], [0, 1]))
    return {"x": eps @ U, "h0": carry, "W": dW, "U": dU, "b": eps.sum(axis=(0, 1))}


# %% clip-by-global-norm
def clip_by_global_norm(grads, max_norm):
    squares = [np.sum(g * g) for g in grads.values()]
    norm = np.sqrt(np.sum(squares))
    if norm <= max_norm:
        return {k: np.array(g) for k, g in grads.items()}, norm
    return {k: (g * (max_norm / norm)).astype(g.dtype) for k, g in grads.items()}, norm


# %% make-windows
def make_windows(series, window):
    n = series.shape[0] - window
    X = np.empty((n, window, 1), dtype=series.dtype)
    for k in range(window):
        X[:, k, 0] = series[k : k + n]
    return X, series[window : window + n].copy()
