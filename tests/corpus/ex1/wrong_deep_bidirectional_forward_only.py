"""deep_rnn_forward runs only the fwd part of a bidirectional layer."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, lengths=None):
    hs, h_lasts = x, []
    for layer in layers:
        p = layer.get("fwd", layer)
        h0 = np.zeros((x.shape[0], p["W"].shape[0]))
        hs, h_last = rnn_forward(hs, h0, p["W"], p["U"], p["b"], lengths)
        h_lasts.append(h_last)
    return hs, h_lasts
