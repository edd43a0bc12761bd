"""make_windows returns X without the feature axis, (N - window, window)."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% make-windows
def make_windows(series, window):
    n = len(series) - window
    X = np.array([series[i : i + window] for i in range(n)])
    return X, series[window:].copy()
