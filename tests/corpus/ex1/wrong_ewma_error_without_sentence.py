"""neuron_as_ewma raises a bare ValueError with no message."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% neuron-as-ewma
def neuron_as_ewma(w, u):
    if w < 0 or w >= 1:
        raise ValueError
    return 1 - w, u / (1 - w)
