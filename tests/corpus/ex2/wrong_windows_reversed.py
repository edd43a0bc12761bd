"""make_windows stores each window newest value first."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% make-windows
def make_windows(series, window):
    n = len(series) - window
    X = np.array([series[i : i + window][::-1] for i in range(n)])[:, :, None]
    return X, series[window:].copy()
