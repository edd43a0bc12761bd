"""count_parameters doubles each layer for two directions, but lets the next layer read H, not 2 H."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% count-parameters
def count_parameters(input_size, hidden_sizes, bidirectional=False):
    k = 2 if bidirectional else 1
    sizes = [input_size, *hidden_sizes]
    return sum(k * (H * H + H * H_in + H) for H_in, H in zip(sizes[:-1], sizes[1:], strict=False))
