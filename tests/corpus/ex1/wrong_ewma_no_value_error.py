"""neuron_as_ewma never raises: w >= 1 divides by zero or gives a negative alpha."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% neuron-as-ewma
def neuron_as_ewma(w, u):
    alpha = 1 - w
    return alpha, u / alpha
