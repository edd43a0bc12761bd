"""Only the carry in the loop, weight gradients after it with einsum; the norm from one concatenated vector; windows from sliding_window_view."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% rnn-backward
def rnn_backward(x, h0, W, U, b, hs, dhs):
    T = x.shape[1]
    da = np.zeros_like(hs)
    dh = np.zeros_like(h0)
    for t in reversed(range(T)):
        da[:, t] = (dhs[:, t] + dh) * (1 - np.square(hs[:, t]))
        dh = np.einsum("bi,ij->bj", da[:, t], W)
    h_prev = np.concatenate([h0[:, np.newaxis], hs[:, :-1]], axis=1)
    return {
        "W": np.einsum("bti,btj->ij", da, h_prev, optimize=True),
        "U": np.einsum("bti,btd->id", da, x, optimize=True),
        "b": np.einsum("bti->i", da),
        "h0": dh,
        "x": np.einsum("bti,id->btd", da, U),
    }


# %% clip-by-global-norm
def clip_by_global_norm(grads, max_norm):
    norm = np.linalg.norm(np.concatenate([np.ravel(g) for g in grads.values()]))
    factor = min(1.0, max_norm / (norm + 1e-300))
    return {k: factor * g for k, g in grads.items()}, norm


# %% make-windows
def make_windows(series, window):
    series = np.asarray(series)
    X = np.lib.stride_tricks.sliding_window_view(series[:-1], window)
    return X[..., np.newaxis].copy(), series[window:].copy()


# %% forecaster-loss-and-grads
def forecaster_loss_and_grads(params, X, y):
    W, U, b, V, c = (params[k] for k in ("W", "U", "b", "V", "c"))
    B, H = X.shape[0], W.shape[0]
    h0 = np.zeros((B, H))
    hs = rnn_forward(X, h0, W, U, b)  # (B, T, H)
    y_hat = hs[:, -1] @ V.T + c  # (B, 1): read out the last state only
    err = y_hat[:, 0] - y  # (B,)
    loss = np.mean(err**2)
    # The readout's gradients (given): an ordinary linear layer.
    dy_hat = 2 * err[:, None] / B  # (B, 1): dL/dy_hat
    dV = dy_hat.T @ hs[:, -1]  # (1, H)
    dc = dy_hat.sum(axis=0)  # (1,)
    dh_T = dy_hat @ V  # (B, H): dL/dh_T
    dhs = np.zeros_like(hs)
    dhs[:, -1, :] = dh_T
    g = rnn_backward(X, h0, W, U, b, hs, dhs)
    g["V"], g["c"] = dV, dc
    del g["x"], g["h0"]
    return loss, g
