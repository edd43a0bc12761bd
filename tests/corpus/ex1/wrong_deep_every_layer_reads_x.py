"""deep_rnn_forward feeds x to every layer instead of the layer below's states."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, h0s=None):
    B = x.shape[0]
    hs = []
    for i, p in enumerate(layers):
        h0 = np.zeros((B, p["W"].shape[0])) if h0s is None else h0s[i]
        hs.append(rnn_forward(x, h0, p["W"], p["U"], p["b"]))
    return hs
