"""neuron_as_ewma refuses w = 0, which is the EWMA with alpha = 1."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% neuron-as-ewma
def neuron_as_ewma(w, u):
    if w <= 0 or w >= 1:
        raise ValueError("no EWMA matches this neuron: w must lie in (0, 1)")
    return 1 - w, u / (1 - w)
