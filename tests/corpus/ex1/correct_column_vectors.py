"""Column vectors as in the formula (W @ h[:, None]); a birnn that runs both directions itself."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% neuron-as-ewma
def neuron_as_ewma(w, u):
    ok = 0 <= w and w < 1
    if not ok:
        raise ValueError(f"no moving average matches: it needs 0 <= w < 1, got w = {w!r}")
    alpha = 1 - w
    return alpha, u / alpha


# %% rnn-forward
def rnn_forward(x, h0, W, U, b, lengths=None, reverse=False):
    B, T, _ = x.shape
    n = np.full(B, T) if lengths is None else np.array(lengths)
    hs = np.zeros((B, T, len(b)))
    h_last = np.zeros((B, len(b)))
    for i in range(B):
        h = h0[i][:, None]  # (H, 1), a column
        ts = list(range(n[i]))
        if reverse:
            ts = ts[::-1]
        for t in ts:
            h = np.tanh(W @ h + U @ x[i, t][:, None] + b[:, None])
            hs[i, t] = h[:, 0]
        h_last[i] = h[:, 0]
    return hs, h_last


# %% birnn-forward
def birnn_forward(x, fwd, bwd, lengths=None):
    B, T, _ = x.shape
    n = np.full(B, T) if lengths is None else np.array(lengths)
    Hf, Hb = len(fwd["b"]), len(bwd["b"])
    hs = np.zeros((B, T, Hf + Hb))
    last = np.zeros((B, Hf + Hb))
    for i in range(B):
        hf, hb = np.zeros((Hf, 1)), np.zeros((Hb, 1))
        for t in range(n[i]):
            hf = np.tanh(fwd["W"] @ hf + fwd["U"] @ x[i, t][:, None] + fwd["b"][:, None])
            hs[i, t, :Hf] = hf[:, 0]
        for t in reversed(range(n[i])):
            hb = np.tanh(bwd["W"] @ hb + bwd["U"] @ x[i, t][:, None] + bwd["b"][:, None])
            hs[i, t, Hf:] = hb[:, 0]
        last[i] = np.concatenate([hf[:, 0], hb[:, 0]])
    return hs, last


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, lengths=None):
    lasts = []
    for layer in layers:
        if "fwd" in layer:
            x, last = birnn_forward(x, layer["fwd"], layer["bwd"], lengths)
        else:
            x, last = rnn_forward(
                x,
                np.zeros((x.shape[0], len(layer["b"]))),
                layer["W"],
                layer["U"],
                layer["b"],
                lengths,
            )
        lasts.append(last)
    return x, lasts


# %% count-parameters
def count_parameters(input_size, hidden_sizes, bidirectional=False):
    arrays = []
    n_in = input_size
    for H in hidden_sizes:
        for _ in range(2 if bidirectional else 1):
            arrays += [np.zeros((H, H)), np.zeros((H, n_in)), np.zeros(H)]
        n_in = H * (2 if bidirectional else 1)
    return sum(a.size for a in arrays)
