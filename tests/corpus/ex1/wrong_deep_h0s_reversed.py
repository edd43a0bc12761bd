"""deep_rnn_forward gives layer l the initial state meant for layer L - l + 1."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, h0s=None):
    B = x.shape[0]
    if h0s is None:
        h0s = [np.zeros((B, p["W"].shape[0])) for p in layers]
    inputs, hs = x, []
    for p, h0 in zip(layers, h0s[::-1], strict=True):
        inputs = rnn_forward(inputs, h0, p["W"], p["U"], p["b"])
        hs.append(inputs)
    return hs
