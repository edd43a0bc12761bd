"""deep_rnn_forward feeds x to every layer."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, lengths=None):
    hs, h_lasts = x, []
    for layer in layers:
        if "fwd" in layer:
            hs, h_last = birnn_forward(x, layer["fwd"], layer["bwd"], lengths)
        else:
            h0 = np.zeros((x.shape[0], layer["W"].shape[0]))
            hs, h_last = rnn_forward(x, h0, layer["W"], layer["U"], layer["b"], lengths)
        h_lasts.append(h_last)
    return hs, h_lasts
