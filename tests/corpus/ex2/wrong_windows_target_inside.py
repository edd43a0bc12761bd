"""make_windows takes the last value of each window as its target."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% make-windows
def make_windows(series, window):
    n = len(series) - window
    X = np.array([series[i : i + window] for i in range(n)])[:, :, None]
    y = np.array([series[i + window - 1] for i in range(n)])
    return X, y
