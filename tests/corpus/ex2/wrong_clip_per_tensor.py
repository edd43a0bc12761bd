"""clip_by_global_norm clips every array by its own norm."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% clip-by-global-norm
def clip_by_global_norm(grads, max_norm):
    clipped = {}
    for k, g in grads.items():
        n = np.linalg.norm(g)
        clipped[k] = g * (max_norm / n) if n > max_norm else g.copy()
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    return clipped, norm
