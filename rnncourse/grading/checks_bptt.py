"""Checks for results that are dictionaries of gradients (exercise 2: backpropagation through time).

Exercise 2's functions return gradients as a dict, one array per parameter (``{"x", "h0", "W",
"U", "b"}`` from ``rnn_backward``, any keys from ``clip_by_global_norm``). The helpers here extend
:mod:`rnncourse.grading.checks` to such results, with the same rules: real arrays only, exact
keys and shapes, no NaN or infinity, and messages that say what is wrong in words without an
expected number.

* :func:`gradients` reads a dict of arrays with exactly the expected keys and shapes;
* :func:`compare_gradients` compares it with the expected gradients key by key, naming a mistake
  when the values match a wrong variant that the (hidden) test computed;
* :func:`agrees_with_finite_differences` checks a gradient against centred finite differences,
  the definition of a derivative, independently of any reference implementation.

This module is infrastructure. The functions students write are not here.
"""

from __future__ import annotations

import types
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from rnncourse.grading import checks

#: Tolerances for gradients computed from float32 inputs. A backward pass sums over batch and
#: time, so single-precision rounding adds up a little more than in one forward step.
FLOAT32 = {"rtol": 1e-4, "atol": 1e-5}
#: Tolerances for a gradient compared with centred finite differences (eps = 1e-6, float64):
#: their own error is about 1e-10, far below what any mistake produces.
FINITE_DIFFERENCES = {"rtol": 1e-6, "atol": 1e-8}


def tolerance(*inputs: Any) -> dict[str, float]:
    """:data:`FLOAT32` if any input is a float32 (or float16) array, else ``checks.FLOAT64``."""
    return FLOAT32 if checks.tolerance(*inputs) is checks.FLOAT32 else checks.FLOAT64


def key_list(keys: Iterable[str]) -> str:
    """``'a', 'b' and 'c'`` for a message."""
    names = [repr(k) for k in keys]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def gradients(
    value: Any,
    shapes: Mapping[str, tuple[int, ...]],
    name: str,
    *,
    hints: Mapping[str, Mapping[tuple[int, ...], str]] | None = None,
    case: str = "",
) -> dict[str, np.ndarray]:
    """``value`` as a dict of float64 arrays with exactly the keys and shapes of ``shapes``.

    ``value`` must be a ``dict`` (not an object that pretends to be one); each of its arrays must
    pass :func:`checks.result`. ``hints`` maps a key to the shape hints of that array
    (``{"U": {(D, H): "dU is transposed"}}``); ``case`` describes the inputs for the message.
    """
    try:
        return _gradients(value, shapes, name, hints or {})
    except AssertionError as exc:
        if not case:
            raise
        raise AssertionError(f"{exc} (for {case})") from None


def _gradients(value, shapes, name, hints) -> dict[str, np.ndarray]:
    kind = type(value)
    if not isinstance(value, dict) or isinstance(getattr(kind, "__eq__", None), types.FunctionType):
        raise AssertionError(
            f"{name} should be a dict with the keys {key_list(shapes)}, "
            f"but it is an object of type {kind.__name__}"
        )
    missing = [k for k in shapes if k not in value]
    if missing:
        raise AssertionError(
            f"{name} has no {'key' if len(missing) == 1 else 'keys'} {key_list(missing)}; "
            f"it should have exactly the keys {key_list(shapes)}"
        )
    extra = [k for k in value if k not in shapes]
    if extra:
        shown = [str(k) for k in extra]
        raise AssertionError(
            f"{name} has the unexpected {'key' if len(extra) == 1 else 'keys'} "
            f"{key_list(shown)}; it should have exactly the keys {key_list(shapes)}"
        )
    return {
        key: checks.result(value[key], shape, f"{name}[{key!r}]", hints=(hints or {}).get(key, {}))
        for key, shape in shapes.items()
    }


def compare_gradients(
    got: Mapping[str, np.ndarray],
    expected: Mapping[str, Any],
    name: str,
    *,
    case: str = "",
    tol: Mapping[str, float] = checks.FLOAT64,
    wrong: Iterable[tuple[str, Mapping[str, Any] | None]] = (),
    order: Iterable[str] | None = None,
) -> None:
    """Compare every array of ``got`` with ``expected``, in ``order`` (default: ``expected``'s).

    ``wrong`` lists ``(mistake, gradients that mistake produces)``; a variant may leave out keys
    (or be ``None``) where it does not apply. The first array that differs fails with the
    mistake it matches, or with a plain "the values are wrong".
    """
    wrong = list(wrong)
    for key in order or expected:
        variants = [
            (mistake, None if values is None else values.get(key)) for mistake, values in wrong
        ]
        checks.compare(
            got[key], expected[key], f"{name}[{key!r}]", case=case, tol=tol, wrong=variants
        )


def agrees_with_finite_differences(
    got: np.ndarray, numeric: np.ndarray, name: str, *, case: str = ""
) -> None:
    """Fail unless ``got`` matches the centred finite-difference gradient ``numeric``."""
    if not checks.close(got, numeric, FINITE_DIFFERENCES):
        where = f" (for {case})" if case else ""
        raise AssertionError(
            f"{name}{where} does not agree with centred finite differences: "
            "the gradient is wrong, whatever formula produced it"
        )
