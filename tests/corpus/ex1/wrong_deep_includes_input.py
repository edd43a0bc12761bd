"""deep_rnn_forward returns [x, h^(1), ..., h^(L)]: the input is in the list."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, h0s=None):
    hs = [x]
    for i, p in enumerate(layers):
        h0 = np.zeros((x.shape[0], p["W"].shape[0])) if h0s is None else h0s[i]
        hs.append(rnn_forward(hs[-1], h0, p["W"], p["U"], p["b"]))
    return hs
