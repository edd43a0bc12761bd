"""deep_rnn_forward passes lengths to the first layer only: the upper layers read padding."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, lengths=None):
    hs, h_lasts = x, []
    for i, layer in enumerate(layers):
        n = lengths if i == 0 else None
        if "fwd" in layer:
            hs, h_last = birnn_forward(hs, layer["fwd"], layer["bwd"], n)
        else:
            h0 = np.zeros((x.shape[0], layer["W"].shape[0]))
            hs, h_last = rnn_forward(hs, h0, layer["W"], layer["U"], layer["b"], n)
        h_lasts.append(h_last)
    return hs, h_lasts
