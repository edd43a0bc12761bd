"""deep_rnn_forward returns the top layer's h_last alone instead of a list over layers."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, lengths=None):
    hs, h_last = x, None
    for layer in layers:
        if "fwd" in layer:
            hs, h_last = birnn_forward(hs, layer["fwd"], layer["bwd"], lengths)
        else:
            h0 = np.zeros((x.shape[0], layer["W"].shape[0]))
            hs, h_last = rnn_forward(hs, h0, layer["W"], layer["U"], layer["b"], lengths)
    return hs, h_last
