"""deep_rnn_forward runs the layers from the last to the first."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, h0s=None):
    B = x.shape[0]
    if h0s is None:
        h0s = [np.zeros((B, p["W"].shape[0])) for p in layers]
    inputs, hs = x, []
    for p, h0 in zip(reversed(layers), reversed(h0s), strict=True):
        inputs = rnn_forward(inputs, h0, p["W"], p["U"], p["b"])
        hs.insert(0, inputs)
    return hs
