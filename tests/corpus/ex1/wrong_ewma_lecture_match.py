"""neuron_as_ewma pastes lecture 3's match (alpha = u, gain 1), true only when u = 1 - w."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% neuron-as-ewma
def neuron_as_ewma(w, u):
    if w < 0 or w >= 1:
        raise ValueError("no EWMA matches this neuron: w must lie in [0, 1)")
    return u, 1.0
