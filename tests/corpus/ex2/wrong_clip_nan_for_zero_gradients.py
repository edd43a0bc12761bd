"""clip_by_global_norm scales the unit vector g / norm, which is NaN when every gradient is zero."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% clip-by-global-norm
def clip_by_global_norm(grads, max_norm):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads.values()))
    length = min(norm, max_norm)
    return {k: g / norm * length for k, g in grads.items()}, norm
