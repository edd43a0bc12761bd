"""neuron_as_ewma checks w with assert (an AssertionError, not a ValueError)."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% neuron-as-ewma
def neuron_as_ewma(w, u):
    assert 0 <= w < 1, "no EWMA matches this neuron: w must lie in [0, 1)"
    return 1 - w, u / (1 - w)
