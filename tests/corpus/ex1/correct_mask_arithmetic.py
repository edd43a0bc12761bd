"""One loop over time for the whole batch; masks applied by multiplying with 0/1 floats."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% neuron-as-ewma
def neuron_as_ewma(w, u):
    if not (0.0 <= w < 1.0):
        raise ValueError(f"w = {w} is outside [0, 1), so no EWMA matches this neuron")
    return [1 - w, u / (1 - w)]  # a list is fine for a pair


# %% rnn-forward
def rnn_forward(x, h0, W, U, b, lengths=None, reverse=False):
    B, T, _ = x.shape
    if lengths is None:
        lengths = np.full(B, T)
    mask = (np.arange(T)[None, :] < np.asarray(lengths)[:, None]).astype(float)  # (B, T)
    h = h0.astype(float)
    hs = np.zeros((B, T, W.shape[0]))
    order = reversed(range(T)) if reverse else range(T)
    for t in order:
        m = mask[:, t : t + 1]  # (B, 1)
        candidate = np.tanh(h @ W.T + x[:, t, :] @ U.T + b)
        h = m * candidate + (1.0 - m) * h
        hs[:, t, :] = m * h
    return hs, h


# %% birnn-forward
def birnn_forward(x, fwd, bwd, lengths=None):
    outs = []
    for params, rev in [(fwd, False), (bwd, True)]:
        H = len(params["b"])
        outs.append(
            rnn_forward(
                x, np.zeros((len(x), H)), params["W"], params["U"], params["b"], lengths, rev
            )
        )
    return (
        np.concatenate([outs[0][0], outs[1][0]], axis=-1),
        np.concatenate([outs[0][1], outs[1][1]], axis=-1),
    )


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, lengths=None):
    h_lasts = []
    for layer in layers:
        if "fwd" in layer:
            x, h_last = birnn_forward(x, layer["fwd"], layer["bwd"], lengths=lengths)
        else:
            zeros = np.zeros((x.shape[0], len(layer["b"])))
            x, h_last = rnn_forward(x, zeros, layer["W"], layer["U"], layer["b"], lengths=lengths)
        h_lasts.append(h_last)
    return x, h_lasts


# %% count-parameters
def count_parameters(input_size, hidden_sizes, bidirectional=False):
    k = 2 if bidirectional else 1
    inputs = [input_size] + [k * H for H in hidden_sizes[:-1]]
    return int(sum(k * (H * (H + n_in + 1)) for H, n_in in zip(hidden_sizes, inputs, strict=False)))
