"""Keeps the dtype of the inputs (float32 in, float32 out), the loss as a NumPy scalar of that dtype; the mask by boolean indexing."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% rnn-backward
def rnn_backward(x, h0, W, U, b, hs, dhs, lengths=None):
    dtype = np.result_type(x, h0, W, U, b, hs, dhs)
    B, T, H = hs.shape
    padded = np.zeros((B, T), dtype=bool)
    if lengths is not None:
        padded = np.arange(T)[None, :] >= np.asarray(lengths)[:, None]
    eps = np.zeros((B, T, H), dtype=dtype)
    carry = np.zeros((B, H), dtype=dtype)
    for t in reversed(range(T)):
        e = (dhs[:, t] + carry) * (1 - hs[:, t] * hs[:, t])
        e[padded[:, t]] = 0  # padded steps have no gradient
        eps[:, t] = e
        carry = e @ W
    h_prev = np.concatenate([h0[:, None].astype(dtype), hs[:, :-1]], axis=1)
    return {
        "x": (eps @ U).astype(dtype),
        "h0": carry.astype(dtype),
        "W": np.tensordot(eps, h_prev, axes=([0, 1], [0, 1])).astype(dtype),
        "U": np.tensordot(eps, x, axes=([0, 1], [0, 1])).astype(dtype),
        "b": eps.sum(axis=(0, 1)).astype(dtype),
    }


# %% last-state-loss
def last_state_loss(h_last, V, c, y):
    dtype = np.result_type(h_last, V, c)
    z = (h_last @ V.T + c).astype(dtype)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    rows = np.arange(len(y))
    loss = -np.mean(log_p[rows, y])  # a NumPy scalar of the inputs' dtype
    dz = np.exp(log_p)
    dz[rows, y] -= 1
    dz = (dz / len(y)).astype(dtype)
    return loss, {"h_last": dz @ V, "V": dz.T @ h_last, "c": dz.sum(axis=0)}
