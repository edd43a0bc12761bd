"""einsum for every product; reverse by index arithmetic: step k reads position lengths[b] - 1 - k."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% neuron-as-ewma
def neuron_as_ewma(w, u):
    if w >= 1:
        raise ValueError("with w >= 1 the neuron never forgets (or explodes): no EWMA does that")
    if w < 0:
        raise ValueError("with w < 0 the neuron's memory flips sign every step: no EWMA does that")
    alpha = np.float64(1) - w
    return alpha, np.float64(u) / alpha  # NumPy floats are fine


# %% rnn-forward
def rnn_forward(x, h0, W, U, b, lengths=None, reverse=False):
    B, T, _ = x.shape
    lengths = np.full(B, T) if lengths is None else np.asarray(lengths, dtype=int)
    rows = np.arange(B)
    hs = np.zeros((B, T, W.shape[0]))
    h = np.array(h0, dtype=float)
    for k in range(T):  # the k-th step each sequence reads
        active = k < lengths  # (B,)
        pos = np.where(active, lengths - 1 - k if reverse else k, 0)  # (B,) position read
        x_k = x[rows, pos]  # (B, D)
        new = np.tanh(np.einsum("ij,bj->bi", W, h) + np.einsum("ij,bj->bi", U, x_k) + b)
        h[active] = new[active]
        hs[rows[active], pos[active]] = new[active]
    return hs, h


# %% birnn-forward
def birnn_forward(x, fwd, bwd, lengths=None):
    B = x.shape[0]
    hf, lf = rnn_forward(x, np.zeros((B, len(fwd["b"]))), **fwd, lengths=lengths)
    hb, lb = rnn_forward(x, np.zeros((B, len(bwd["b"]))), **bwd, lengths=lengths, reverse=True)
    return np.dstack([hf, hb]), np.hstack([lf, lb])


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, lengths=None):
    out, lasts = x, []
    for layer in layers:
        if set(layer) == {"fwd", "bwd"}:
            out, last = birnn_forward(out, layer["fwd"], layer["bwd"], lengths)
        else:
            out, last = rnn_forward(
                out, np.zeros((len(out), len(layer["b"]))), **layer, lengths=lengths
            )
        lasts.append(last)
    return out, lasts


# %% count-parameters
def count_parameters(input_size, hidden_sizes, bidirectional=False):
    d = 1 + int(bidirectional)
    n, n_in = 0, input_size
    for H in hidden_sizes:
        n += d * (np.einsum("i,i->", np.ones(H), np.full(H, H + n_in + 1)))
        n_in = d * H
    return int(n)
