"""Plain Python loops: over time, over the batch, over layers; ewma on Python floats."""
# ruff: noqa: F821  (np, rnn_step, rnn_forward, ... come from the notebook's other cells)


# %% ewma
def ewma(x, alpha, s0=0.0):
    values = [float(v) for v in x]
    out = np.zeros(len(values))
    s = float(s0)
    for t, v in enumerate(values):
        s = (1.0 - alpha) * s + alpha * v
        out[t] = s
    return out


# %% rnn-step
def rnn_step(x_t, h_prev, W, U, b):
    B, H = h_prev.shape
    out = np.zeros((B, H))
    for i in range(B):
        out[i] = np.tanh(W @ h_prev[i] + U @ x_t[i] + b)
    return out


# %% rnn-forward
def rnn_forward(x, h0, W, U, b):
    B, T, _ = x.shape
    out = np.zeros((B, T, W.shape[0]))
    h = h0.copy()
    for t in range(T):
        h = rnn_step(x[:, t, :], h, W, U, b)
        out[:, t, :] = h
    return out


# %% deep-rnn-forward
def deep_rnn_forward(x, layers, h0s=None):
    outputs = []
    current = x
    for i in range(len(layers)):
        W, U, b = layers[i]["W"], layers[i]["U"], layers[i]["b"]
        if h0s is None:
            h0 = np.zeros((x.shape[0], W.shape[0]))
        else:
            h0 = h0s[i]
        current = rnn_forward(current, h0, W, U, b)
        outputs.append(current)
    return outputs


# %% count-parameters
def count_parameters(input_size, hidden_sizes):
    total = 0
    previous = input_size
    for H in hidden_sizes:
        total += H * H  # W
        total += H * previous  # U
        total += H  # b
        previous = H
    return total
