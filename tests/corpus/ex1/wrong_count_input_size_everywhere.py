"""count_parameters sizes every layer's U as H x D, as if every layer read x."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% count-parameters
def count_parameters(input_size, hidden_sizes):
    return sum(H * H + H * input_size + H for H in hidden_sizes)
