"""count_parameters returns a float (it adds up in a float accumulator)."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% count-parameters
def count_parameters(input_size, hidden_sizes):
    total = 0.0
    H_in = input_size
    for H in hidden_sizes:
        total += H * H + H * H_in + H
        H_in = H
    return total
