"""Takes hs[:, -1] (0 for every sequence shorter than T) as the last state, and sends its gradient there."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% train-classifier
def train_classifier(x, lengths, y, seed=0):
    H, K, steps, batch, lr, max_norm = 16, 2, 300, 128, 0.02, 5.0
    rng = np.random.default_rng(seed)
    n, _, D = x.shape
    lengths = np.asarray(lengths)
    params = {
        "W": 0.5 * rng.normal(size=(H, H)) / np.sqrt(H),
        "U": rng.normal(size=(H, D)),
        "b": np.zeros(H),
        "V": rng.normal(size=(K, H)) / np.sqrt(H),
        "c": np.zeros(K),
    }
    m = {k: np.zeros_like(p) for k, p in params.items()}  # Adam: EWMA of the gradient
    v = {k: np.zeros_like(p) for k, p in params.items()}  # ... and of its square
    for step in range(1, steps + 1):
        i = rng.integers(0, n, size=batch)  # a random minibatch
        xb, lb, yb = x[i], lengths[i], y[i]
        h0 = np.zeros((batch, H))
        hs, _ = rnn_forward(xb, h0, params["W"], params["U"], params["b"], lb)
        h_last = hs[:, -1]  # step T - 1: padding for most sequences
        _, g = last_state_loss(h_last, params["V"], params["c"], yb)
        dhs = np.zeros_like(hs)  # (batch, T, H): the loss reads h_last only ...
        dhs[:, -1] = g["h_last"]
        g_rnn = rnn_backward(xb, h0, params["W"], params["U"], params["b"], hs, dhs, lb)
        grads = {"W": g_rnn["W"], "U": g_rnn["U"], "b": g_rnn["b"], "V": g["V"], "c": g["c"]}
        norm = np.sqrt(sum(np.sum(gk**2) for gk in grads.values()))
        scale = min(1.0, max_norm / norm) if norm > 0 else 1.0  # clipping by global norm
        for k, p in params.items():
            gk = scale * grads[k]
            m[k] = 0.9 * m[k] + 0.1 * gk
            v[k] = 0.999 * v[k] + 0.001 * gk**2
            m_hat, v_hat = m[k] / (1 - 0.9**step), v[k] / (1 - 0.999**step)
            p -= lr * m_hat / (np.sqrt(v_hat) + 1e-8)  # in place: params[k] changes
    return params
