"""count_parameters ignores bidirectional (lecture 5's count)."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% count-parameters
def count_parameters(input_size, hidden_sizes, bidirectional=False):
    sizes = [input_size, *hidden_sizes]
    return sum(H * H + H * H_in + H for H_in, H in zip(sizes[:-1], sizes[1:], strict=False))
