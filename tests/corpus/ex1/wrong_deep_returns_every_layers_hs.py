"""deep_rnn_forward returns the list of every layer's hs, as lecture 5's does."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, lengths=None):
    hs, out = x, []
    for layer in layers:
        if "fwd" in layer:
            hs, _ = birnn_forward(hs, layer["fwd"], layer["bwd"], lengths)
        else:
            h0 = np.zeros((x.shape[0], layer["W"].shape[0]))
            hs, _ = rnn_forward(hs, h0, layer["W"], layer["U"], layer["b"], lengths)
        out.append(hs)
    return out
