"""Follows the column-vector math sequence by sequence: W.T @ eps for each sequence of the batch; the forecaster keeps the full rnn_backward result."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% rnn-backward
def rnn_backward(x, h0, W, U, b, hs, dhs):
    B, T, D = x.shape
    H = W.shape[0]
    grads = {
        "x": np.zeros((B, T, D)),
        "h0": np.zeros((B, H)),
        "W": np.zeros((H, H)),
        "U": np.zeros((H, D)),
        "b": np.zeros(H),
    }
    for i in range(B):
        carry = np.zeros((H, 1))
        for t in reversed(range(T)):
            h_t = hs[i, t].reshape(H, 1)
            h_before = (hs[i, t - 1] if t > 0 else h0[i]).reshape(H, 1)
            x_t = x[i, t].reshape(D, 1)
            eps = (dhs[i, t].reshape(H, 1) + carry) * (1 - h_t**2)
            grads["W"] += eps @ h_before.T
            grads["U"] += eps @ x_t.T
            grads["b"] += eps[:, 0]
            grads["x"][i, t] = (U.T @ eps)[:, 0]
            carry = W.T @ eps
        grads["h0"][i] = carry[:, 0]
    return grads


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
    dhs = np.zeros(hs.shape)
    dhs[:, hs.shape[1] - 1] = dh_T
    everything = rnn_backward(X, h0, W, U, b, hs, dhs)
    return float(loss), {
        "W": everything["W"],
        "U": everything["U"],
        "b": everything["b"],
        "V": dV,
        "c": dc,
    }
