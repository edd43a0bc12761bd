"""Every gradient accumulated inside the time loop (as lecture 6 first wrote it); clipping, windows and the forecaster with plain loops."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% rnn-backward
def rnn_backward(x, h0, W, U, b, hs, dhs):
    B, T, D = x.shape
    H = h0.shape[1]
    dx = np.zeros((B, T, D))
    dW = np.zeros((H, H))
    dU = np.zeros((H, D))
    db = np.zeros(H)
    dh_next = np.zeros((B, H))
    for t in range(T - 1, -1, -1):
        if t > 0:
            h_prev = hs[:, t - 1, :]
        else:
            h_prev = h0
        da = (dhs[:, t, :] + dh_next) * (1.0 - hs[:, t, :] * hs[:, t, :])
        dW += da.T @ h_prev
        dU += da.T @ x[:, t, :]
        db += da.sum(axis=0)
        dx[:, t, :] = da @ U
        dh_next = da @ W
    return {"x": dx, "h0": dh_next, "W": dW, "U": dU, "b": db}


# %% clip-by-global-norm
def clip_by_global_norm(grads, max_norm):
    total = 0.0
    for name in grads:
        total += float(np.sum(grads[name] ** 2))
    norm = total**0.5
    clipped = {}
    for name in grads:
        if norm > max_norm:
            clipped[name] = grads[name] * (max_norm / norm)
        else:
            clipped[name] = grads[name].copy()
    return clipped, norm


# %% make-windows
def make_windows(series, window):
    inputs, targets = [], []
    for i in range(len(series) - window):
        inputs.append([[value] for value in series[i : i + window]])
        targets.append(series[i + window])
    return np.array(inputs), np.array(targets)


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
    T = X.shape[1]
    dhs = np.stack([dh_T if t == T - 1 else np.zeros_like(dh_T) for t in range(T)], axis=1)
    grads = rnn_backward(X, h0, W, U, b, hs, dhs)
    result = {}
    for name in ("W", "U", "b"):
        result[name] = grads[name]
    result["V"] = dV
    result["c"] = dc
    return loss, result
