"""Softmax normalised with a tiny epsilon in the denominator (the sum is at least 1 after the shift, so it changes nothing that matters); lengths turned into a mask by a list comprehension; Adam with its own epsilon, H = 24."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% rnn-backward
def rnn_backward(x, h0, W, U, b, hs, dhs, lengths=None):
    B, T, H = hs.shape
    if lengths is None:
        lengths = [T] * B
    mask = np.array([[1.0 if t < n else 0.0 for t in range(T)] for n in lengths])  # (B, T)
    dx, dW, dU, db = np.zeros(x.shape), np.zeros((H, H)), np.zeros(U.shape), np.zeros(H)
    dh_next = np.zeros((B, H))
    for t in range(T - 1, -1, -1):
        da = mask[:, t : t + 1] * (dhs[:, t] + dh_next) * (1 - hs[:, t] ** 2)
        dx[:, t] = da @ U
        dW = dW + da.T @ (hs[:, t - 1] if t else h0)
        dU = dU + da.T @ x[:, t]
        db = db + da.sum(0)
        dh_next = da @ W
    return {"x": dx, "h0": dh_next, "W": dW, "U": dU, "b": db}


# %% last-state-loss
def last_state_loss(h_last, V, c, y):
    z = h_last @ V.T + c
    shifted = z - z.max(axis=1, keepdims=True)
    total = np.exp(shifted).sum(axis=1, keepdims=True)
    probs = np.exp(shifted) / (total + 1e-15)  # total >= 1: the epsilon is far below rounding
    rows = np.arange(len(y))
    loss = np.mean(np.log(total[:, 0]) - shifted[rows, y])
    dz = probs.copy()
    dz[rows, y] -= 1
    dz /= len(y)
    return loss, {"h_last": dz @ V, "V": dz.T @ h_last, "c": dz.sum(axis=0)}


# %% train-classifier
def train_classifier(x, lengths, y, seed=0):
    H, steps, batch, lr = 24, 300, 128, 0.02
    rng = np.random.default_rng(seed)
    N, T, D = x.shape
    lengths = np.asarray(lengths)
    params = {
        "W": rng.uniform(-1, 1, (H, H)) * np.sqrt(3 / H) * 0.5,
        "U": rng.uniform(-1, 1, (H, D)) * np.sqrt(3),
        "b": np.zeros(H),
        "V": rng.uniform(-1, 1, (2, H)) / np.sqrt(H),
        "c": np.zeros(2),
    }
    state = {
        "t": 0,
        "m": {k: 0 * v for k, v in params.items()},
        "v": {k: 0 * v for k, v in params.items()},
    }
    for _ in range(steps):
        rows = rng.integers(0, N, batch)
        xb, lb = x[rows], lengths[rows]
        h0 = np.zeros((batch, H))
        hs, h_last = rnn_forward(xb, h0, params["W"], params["U"], params["b"], lb)
        _, g_out = last_state_loss(h_last, params["V"], params["c"], y[rows])
        dhs = np.zeros_like(hs)
        dhs[np.arange(batch), lb - 1] = g_out["h_last"]
        g_in = rnn_backward(xb, h0, params["W"], params["U"], params["b"], hs, dhs, lb)
        grads = {"W": g_in["W"], "U": g_in["U"], "b": g_in["b"], "V": g_out["V"], "c": g_out["c"]}
        norm = np.sqrt(sum((g**2).sum() for g in grads.values()))
        if norm > 5.0:
            grads = {k: g * (5.0 / norm) for k, g in grads.items()}
        state["t"] += 1
        for k in params:
            state["m"][k] = 0.9 * state["m"][k] + 0.1 * grads[k]
            state["v"][k] = 0.999 * state["v"][k] + 0.001 * grads[k] ** 2
            m_hat = state["m"][k] / (1 - 0.9 ** state["t"])
            v_hat = state["v"][k] / (1 - 0.999 ** state["t"])
            params[k] = params[k] - lr * m_hat / (np.sqrt(v_hat) + 1e-7)
    return params
