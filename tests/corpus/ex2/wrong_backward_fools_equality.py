"""rnn_backward returns objects that claim to equal anything (gaming the tests)."""
# ruff: noqa: F821, F841  (np, rnn_forward, ... come from the notebook; a wrong answer may leave given lines unused)


# %% rnn-backward
class Anything(np.ndarray):
    def __eq__(self, other):
        return True


def rnn_backward(x, h0, W, U, b, hs, dhs):
    fake = {"x": x, "h0": h0, "W": W, "U": U, "b": b}
    return {name: np.zeros_like(value).view(Anything) for name, value in fake.items()}
