"""One step at a time in column vectors, as in the math (W^T eps, eps h^T), the mask from a list; the loss one sequence at a time, log-sum-exp as m + log(sum(exp(z - m)))."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% rnn-backward
def rnn_backward(x, h0, W, U, b, hs, dhs, lengths=None):
    B, T, _ = x.shape
    lengths = [T] * B if lengths is None else [int(n) for n in lengths]
    dx = np.zeros(x.shape)
    dW, dU, db = np.zeros(W.shape), np.zeros(U.shape), np.zeros(len(b))
    delta_next = np.zeros((W.shape[0], B))  # W^T eps_{t+1}: one column per sequence
    for t in range(T - 1, -1, -1):
        m = np.array([1.0 if t < n else 0.0 for n in lengths])  # (B,): real step or padding
        h_t = hs[:, t].T  # (H, B): the states as columns
        h_before = (hs[:, t - 1] if t > 0 else h0).T  # (H, B)
        eps = m * (dhs[:, t].T + delta_next) * (1 - h_t * h_t)  # (H, B)
        dW += eps @ h_before.T  # sum over the batch of eps h^T
        dU += eps @ x[:, t]
        db += eps.sum(axis=1)
        dx[:, t] = (U.T @ eps).T
        delta_next = W.T @ eps
    return {"x": dx, "h0": delta_next.T, "W": dW, "U": dU, "b": db}


# %% last-state-loss
def last_state_loss(h_last, V, c, y):
    B, K = len(y), len(c)
    loss = 0.0
    grads = {"h_last": np.zeros(h_last.shape), "V": np.zeros(V.shape), "c": np.zeros(c.shape)}
    for i in range(B):
        z = V @ h_last[i] + c  # (K,)
        m = z.max()
        log_sum = m + np.log(np.sum(np.exp(z - m)))
        loss += (log_sum - z[y[i]]) / B
        dz = np.exp(z - log_sum)  # softmax
        dz[y[i]] -= 1.0
        dz /= B
        grads["h_last"][i] = V.T @ dz
        grads["V"] += np.outer(dz, h_last[i])
        grads["c"] += dz
    return loss, grads
