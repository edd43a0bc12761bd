"""count_parameters returns a float."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% count-parameters
def count_parameters(input_size, hidden_sizes, bidirectional=False):
    k = 2.0 if bidirectional else 1.0
    total, n_in = 0.0, input_size
    for H in hidden_sizes:
        total += k * (H * H + H * n_in + H)
        n_in = k * H
    return total
