"""clip_by_global_norm returns the norm after clipping."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% clip-by-global-norm
def clip_by_global_norm(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    scale = max_norm / norm if norm > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}, norm * scale
