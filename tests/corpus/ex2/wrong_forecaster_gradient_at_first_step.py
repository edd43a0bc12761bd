"""forecaster_loss_and_grads puts dL/dh_T at the first step."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


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
    dhs[:, 0] = dh_T
    grads = rnn_backward(X, h0, W, U, b, hs, dhs)
    return loss, {"W": grads["W"], "U": grads["U"], "b": grads["b"], "V": dV, "c": dc}
