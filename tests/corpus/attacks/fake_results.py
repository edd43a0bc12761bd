"""Results that pretend: objects equal to anything, arrays with their own ==, mocks, matrices,
masked arrays, and an object whose unpickling would run a command."""

# status: graded
# place: target
import os
from unittest import mock

import numpy as np


class Always:
    shape = dtype = None

    def __eq__(self, other):
        return True

    def __array__(self, *args, **kwargs):
        return np.zeros(3)

    def __array_function__(self, *args, **kwargs):
        return True

    def __float__(self):
        return 0.0


class Sneaky(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)


class Pickled:
    def __reduce__(self):
        return (os.system, ("touch /tmp/unpickled",))


FAKES = [
    Always(),
    np.zeros(3).view(Sneaky),
    mock.MagicMock(),
    np.matrix([[1.0]]),
    np.ma.masked_all(3),
    Pickled(),
    (Always(), Always()),
    {"W": Always()},
]

for i, name in enumerate(GRADED):  # noqa: F821
    globals()[name] = (lambda fake: lambda *args, **kwargs: fake)(FAKES[i % len(FAKES)])
