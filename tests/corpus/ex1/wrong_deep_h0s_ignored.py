"""deep_rnn_forward starts every layer from zeros, even when h0s is given."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, h0s=None):
    inputs, hs = x, []
    for p in layers:
        h0 = np.zeros((x.shape[0], p["W"].shape[0]))
        inputs = rnn_forward(inputs, h0, p["W"], p["U"], p["b"])
        hs.append(inputs)
    return hs
