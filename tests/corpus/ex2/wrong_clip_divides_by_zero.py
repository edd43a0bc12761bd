"""clip_by_global_norm divides by the norm even when every gradient is zero."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% clip-by-global-norm
def clip_by_global_norm(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    scale = min(1.0, max_norm / norm)
    return {k: g * scale for k, g in grads.items()}, norm
