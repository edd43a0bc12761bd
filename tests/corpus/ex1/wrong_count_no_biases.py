"""count_parameters counts W and U but not the biases."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% count-parameters
def count_parameters(input_size, hidden_sizes):
    sizes = [input_size, *hidden_sizes]
    return sum(H * H + H * H_in for H_in, H in zip(sizes[:-1], sizes[1:], strict=True))
