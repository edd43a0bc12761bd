"""clip_by_global_norm rescales the arrays of its input in place."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% clip-by-global-norm
def clip_by_global_norm(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    if norm > max_norm:
        for g in grads.values():
            g *= max_norm / norm
    return dict(grads), norm
