"""clip_by_global_norm clips every entry to [-max_norm, max_norm]."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% clip-by-global-norm
def clip_by_global_norm(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}, norm
