"""neuron_as_ewma raises for w >= 1 only; a negative w gets an alpha above 1."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% neuron-as-ewma
def neuron_as_ewma(w, u):
    if w >= 1:
        raise ValueError("no EWMA matches this neuron: w must be below 1")
    return 1 - w, u / (1 - w)
