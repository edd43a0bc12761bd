"""Plain Python loops: one sequence and one real step at a time; reverse by a reversed range."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% neuron-as-ewma
def neuron_as_ewma(w, u):
    if w < 0 or w >= 1:
        raise ValueError("the weight w must satisfy 0 <= w < 1 for the neuron to be an EWMA")
    alpha = 1.0 - w
    gain = u / alpha
    return (alpha, gain)


# %% rnn-forward
def rnn_forward(x, h0, W, U, b, lengths=None, reverse=False):
    B, T, D = x.shape
    H = W.shape[0]
    if lengths is None:
        lengths = [T] * B
    hs = np.zeros((B, T, H))
    h_last = np.zeros((B, H))
    for i in range(B):
        n = int(lengths[i])
        steps = range(n - 1, -1, -1) if reverse else range(n)
        h = h0[i]
        for t in steps:
            h = np.tanh(W @ h + U @ x[i, t] + b)
            hs[i, t] = h
        h_last[i] = h
    return hs, h_last


# %% birnn-forward
def birnn_forward(x, fwd, bwd, lengths=None):
    B = x.shape[0]
    out_f, last_f = rnn_forward(
        x, np.zeros((B, fwd["W"].shape[0])), fwd["W"], fwd["U"], fwd["b"], lengths
    )
    out_b, last_b = rnn_forward(
        x, np.zeros((B, bwd["W"].shape[0])), bwd["W"], bwd["U"], bwd["b"], lengths, reverse=True
    )
    return np.concatenate((out_f, out_b), axis=2), np.concatenate((last_f, last_b), axis=1)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, lengths=None):
    current = x
    lasts = []
    for layer in layers:
        if "fwd" in layer:
            current, last = birnn_forward(current, layer["fwd"], layer["bwd"], lengths)
        else:
            h0 = np.zeros((x.shape[0], layer["W"].shape[0]))
            current, last = rnn_forward(current, h0, layer["W"], layer["U"], layer["b"], lengths)
        lasts.append(last)
    return current, lasts


# %% count-parameters
def count_parameters(input_size, hidden_sizes, bidirectional=False):
    total = 0
    previous = input_size
    for H in hidden_sizes:
        directions = 2 if bidirectional else 1
        for _ in range(directions):
            total += H * H  # W
            total += H * previous  # U
            total += H  # b
        previous = H * directions
    return total
