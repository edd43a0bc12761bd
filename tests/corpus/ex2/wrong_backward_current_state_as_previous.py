"""rnn_backward pairs eps_t with h_t instead of h_(t-1) in dW."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% rnn-backward
def rnn_backward(x, h0, W, U, b, hs, dhs):
    B, T, H = hs.shape
    eps = np.empty_like(hs)
    carry = np.zeros_like(h0)
    for t in reversed(range(T)):
        eps[:, t] = (dhs[:, t] + carry) * (1 - hs[:, t] ** 2)
        carry = eps[:, t] @ W
    h_prev = hs
    flat = eps.reshape(B * T, H)
    return {
        "x": eps @ U,
        "h0": carry,
        "W": flat.T @ h_prev.reshape(B * T, H),
        "U": flat.T @ x.reshape(B * T, -1),
        "b": flat.sum(axis=0),
    }
