"""Keeps the input dtype (float32 in, float32 out); reverse by flipping each sequence's real steps."""
# ruff: noqa: F821  (np, rnn_forward, birnn_forward come from the notebook's other cells)


# %% neuron-as-ewma
def neuron_as_ewma(w, u):
    if w < 0:
        raise ValueError("A negative w makes the neuron alternate in sign; an EWMA never does.")
    if w >= 1:
        raise ValueError("With w >= 1 the neuron's memory does not fade; an EWMA's always does.")
    return 1 - w, u / (1 - w)


# %% rnn-forward
def _flip_real_steps(a, lengths):
    """Each sequence's first lengths[b] steps in reverse order; the padding stays where it is."""
    out = a.copy()
    for i, n in enumerate(lengths):
        out[i, :n] = a[i, :n][::-1]
    return out


def rnn_forward(x, h0, W, U, b, lengths=None, reverse=False):
    dtype = np.result_type(x, h0, W, U, b)
    B, T, _ = x.shape
    lengths = [T] * B if lengths is None else [int(n) for n in lengths]
    if reverse:
        hs, h_last = rnn_forward(_flip_real_steps(x, lengths), h0, W, U, b, lengths)
        return _flip_real_steps(hs, lengths), h_last
    real = np.arange(T)[None, :] < np.array(lengths)[:, None]
    hs = np.zeros((B, T, W.shape[0]), dtype=dtype)
    h = h0.astype(dtype)
    for t in range(T):
        h = np.where(real[:, t, None], np.tanh(h @ W.T + x[:, t] @ U.T + b), h)
        hs[:, t] = h * real[:, t, None]
    return hs, h


# %% birnn-forward
def birnn_forward(x, fwd, bwd, lengths=None):
    B = x.shape[0]
    z_f = np.zeros((B, fwd["W"].shape[0]), dtype=x.dtype)
    z_b = np.zeros((B, bwd["W"].shape[0]), dtype=x.dtype)
    f = rnn_forward(x, z_f, fwd["W"], fwd["U"], fwd["b"], lengths=lengths)
    r = rnn_forward(x, z_b, bwd["W"], bwd["U"], bwd["b"], lengths=lengths, reverse=True)
    return np.concatenate([f[0], r[0]], -1), np.concatenate([f[1], r[1]], -1)


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, lengths=None):
    B = x.shape[0]
    h_lasts = []
    for p in layers:
        # a bidirectional layer straight from rnn_forward, without birnn_forward
        parts = [(p["fwd"], False), (p["bwd"], True)] if "fwd" in p else [(p, False)]
        outs = [
            rnn_forward(
                x, np.zeros((B, q["W"].shape[0]), x.dtype), q["W"], q["U"], q["b"], lengths, rev
            )
            for q, rev in parts
        ]
        x = np.concatenate([o[0] for o in outs], axis=-1)
        h_lasts.append(np.concatenate([o[1] for o in outs], axis=-1))
    return x, h_lasts


# %% count-parameters
def count_parameters(input_size, hidden_sizes, bidirectional=False):
    dirs = 2 if bidirectional else 1
    sizes = [input_size] + [dirs * H for H in hidden_sizes]
    return sum(dirs * (H * H + H * n + H) for n, H in zip(sizes, hidden_sizes, strict=False))
