"""Numerical gradients by centred finite differences, and the relative error used to compare them.

A backward pass is only trusted once it agrees with the slow, obviously correct definition of a
derivative:  df/dx_i ~ (f(x + eps e_i) - f(x - eps e_i)) / (2 eps),  whose error shrinks as eps**2.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Gradient of the scalar ``f()`` with respect to the array ``x``, which ``f`` reads in place.

    ``x``: float64 array of any shape; every entry is nudged by ``+eps`` and ``-eps`` in turn and
    restored exactly afterwards. Returns an array of the same shape as ``x``.
    """
    return numerical_gradient_array(
        lambda: np.asarray(f(), dtype=np.float64), x, np.array(1.0), eps
    )


def numerical_gradient_array(
    f: Callable[[], np.ndarray], x: np.ndarray, upstream: np.ndarray, eps: float = 1e-6
) -> np.ndarray:
    """Gradient of ``sum(f() * upstream)`` with respect to ``x``: a vector-Jacobian product.

    ``f`` returns an array of the same shape as ``upstream`` (the gradient arriving from the loss);
    ``x`` is read by ``f`` in place, nudged entry by entry and restored.
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError("x must be a float64 NumPy array (finite differences need full precision)")
    upstream = np.asarray(upstream, dtype=np.float64)
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    for _ in it:
        i = it.multi_index
        original = x[i]
        x[i] = original + eps
        plus = np.sum(np.asarray(f(), dtype=np.float64) * upstream)
        x[i] = original - eps
        minus = np.sum(np.asarray(f(), dtype=np.float64) * upstream)
        x[i] = original
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def rel_error(a, b) -> float:
    """Largest elementwise relative error ``|a - b| / max(1e-8, |a| + |b|)``.

    Below ~1e-7 a float64 gradient is right; around 1e-2 it is almost certainly wrong.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {a.shape} vs {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
