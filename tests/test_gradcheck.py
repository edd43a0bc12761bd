"""Centred differences reproduce known gradients; the relative error behaves as documented."""

from __future__ import annotations

import numpy as np
import pytest

from rnncourse.gradcheck import numerical_gradient, numerical_gradient_array, rel_error


def test_numerical_gradient_of_a_quadratic_form():
    rng = np.random.default_rng(0)
    A = rng.standard_normal((4, 4))
    x = rng.standard_normal(4)
    grad = numerical_gradient(lambda: x @ A @ x, x)
    assert rel_error(grad, (A + A.T) @ x) < 1e-8


def test_numerical_gradient_restores_the_input():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    before = x.copy()
    numerical_gradient(lambda: np.sum(np.sin(x)), x)
    assert np.array_equal(x, before)


def test_numerical_gradient_is_centred_not_one_sided():
    # for f = x**3 at x = 1 a forward difference with eps = 1e-3 is off by ~3e-3; centred by ~1e-6
    x = np.array([1.0])
    grad = numerical_gradient(lambda: float(x[0] ** 3), x, eps=1e-3)
    assert abs(grad[0] - 3.0) < 1e-5


def test_vector_jacobian_product_matches_tanh_derivative():
    rng = np.random.default_rng(1)
    x = rng.standard_normal((3, 5))
    upstream = rng.standard_normal((3, 5))
    grad = numerical_gradient_array(lambda: np.tanh(x), x, upstream)
    assert rel_error(grad, upstream * (1 - np.tanh(x) ** 2)) < 1e-8


def test_rejects_inputs_that_cannot_be_nudged_precisely():
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda: 0.0, np.array([1, 2]))
    with pytest.raises(TypeError, match="float64"):
        numerical_gradient(lambda: 0.0, np.array([1.0], dtype=np.float32))


def test_rel_error_values():
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1.0], [1.1]) == pytest.approx(0.1 / 2.1)
    assert rel_error([0.0], [0.0]) == 0.0
    assert rel_error([1.0, 0.0], [1.0, 1e-3]) == pytest.approx(1.0)  # the worst entry counts
    with pytest.raises(ValueError, match="shapes"):
        rel_error(np.zeros(2), np.zeros(3))
