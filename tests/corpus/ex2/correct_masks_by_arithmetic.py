"""Masks dhs by multiplication only (hs is 0 at padded steps, so nothing flows there), weight gradients after the loop; loss with np.logaddexp.reduce; training by gradient descent with momentum, clipped like torch (norm + 1e-6)."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% rnn-backward
def rnn_backward(x, h0, W, U, b, hs, dhs, lengths=None):
    B, T, H = hs.shape
    n = T if lengths is None else np.asarray(lengths).reshape(B, 1, 1)
    g = dhs * (np.arange(T).reshape(1, T, 1) < n)  # the loss's gradient at real steps only
    eps = np.zeros_like(hs)
    carry = np.zeros_like(h0)
    for t in range(T - 1, -1, -1):
        eps[:, t] = (g[:, t] + carry) * (1 - hs[:, t] ** 2)  # 0 at padded steps: hs = 0, g = 0
        carry = eps[:, t] @ W
    h_prev = np.concatenate([h0[:, None], hs[:, :-1]], axis=1)
    e = eps.reshape(B * T, H)
    return {
        "x": eps @ U,
        "h0": carry,
        "W": e.T @ h_prev.reshape(B * T, H),
        "U": e.T @ x.reshape(B * T, -1),
        "b": e.sum(axis=0),
    }


# %% last-state-loss
def last_state_loss(h_last, V, c, y):
    z = h_last @ V.T + c
    log_z = np.logaddexp.reduce(z, axis=1)  # log sum exp, computed stably by NumPy
    picked = np.take_along_axis(z, np.asarray(y)[:, None], axis=1)[:, 0]
    loss = np.mean(log_z - picked)
    dz = np.exp(z - log_z[:, None]) - np.eye(z.shape[1])[y]
    dz = dz / len(y)
    return loss, {"h_last": dz @ V, "V": dz.T @ h_last, "c": dz.sum(axis=0)}


# %% train-classifier
def train_classifier(x, lengths, y, seed=0):
    rng = np.random.default_rng(seed)
    n, T, D = x.shape
    H, lr, momentum, max_norm = 24, 0.05, 0.9, 1.0
    lengths = np.asarray(lengths)
    p = {
        "W": rng.normal(0.0, 0.5 / np.sqrt(H), (H, H)),
        "U": rng.normal(0.0, 1.0, (H, D)),
        "b": np.zeros(H),
        "V": rng.normal(0.0, 1 / np.sqrt(H), (2, H)),
        "c": np.zeros(2),
    }
    velocity = {k: np.zeros_like(v) for k, v in p.items()}
    for _ in range(400):
        i = rng.choice(n, size=100, replace=False)
        h0 = np.zeros((100, H))
        hs, h_last = rnn_forward(x[i], h0, p["W"], p["U"], p["b"], lengths[i])
        _, g = last_state_loss(h_last, p["V"], p["c"], y[i])
        dhs = np.zeros_like(hs)
        dhs[np.arange(100), lengths[i] - 1] = g["h_last"]
        g_rnn = rnn_backward(x[i], h0, p["W"], p["U"], p["b"], hs, dhs, lengths[i])
        grads = {"W": g_rnn["W"], "U": g_rnn["U"], "b": g_rnn["b"], "V": g["V"], "c": g["c"]}
        norm = np.sqrt(sum(np.sum(v * v) for v in grads.values()))
        factor = max_norm / (norm + 1e-6) if norm > max_norm else 1.0  # as torch's clip_grad_norm_
        for k in p:
            velocity[k] = momentum * velocity[k] - lr * factor * grads[k]
            p[k] = p[k] + velocity[k]
    return p
