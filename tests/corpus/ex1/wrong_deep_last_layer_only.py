"""deep_rnn_forward returns only the last layer's states."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, h0s=None):
    h = x
    for i, p in enumerate(layers):
        h0 = np.zeros((x.shape[0], p["W"].shape[0])) if h0s is None else h0s[i]
        h = rnn_forward(h, h0, p["W"], p["U"], p["b"])
    return h
