"""Checks for exercise 2 (backpropagation through time): dicts of gradients and trained parameters.

Exercise 2's functions return dicts of arrays: ``rnn_backward`` the gradients ``{"x", "h0", "W",
"U", "b"}``, ``last_state_loss`` ``{"h_last", "V", "c"}``, ``train_classifier`` the parameters
``{"W", "U", "b", "V", "c"}``. The helpers here extend :mod:`rnncourse.grading.checks` to such
results, with the same rules: real arrays only, exact keys and shapes, no NaN or infinity, and
messages that say what is wrong in words.

* :func:`gradients` reads a dict of arrays with exactly the expected keys and shapes, and
  :func:`parameters` the five arrays of a trained classifier, whatever its hidden size;
* :func:`compare_gradients` compares such a dict with the expected one key by key and names the
  mistake of the first key that differs (hidden tests);
* :func:`compare_every` compares every key and names every wrong key at once, a mistake that
  explains several keys only once (visible tests);
* :func:`gradient_check` and :func:`agrees_with_finite_differences` compare with centred finite
  differences, the definition of a derivative, independently of any reference implementation;
* :func:`where_wrong` says at which steps of a padded batch a per-step gradient goes wrong.

No message of a hidden test contains an expected number. This module is infrastructure: the
functions students write (a backward pass, a loss, a forward pass with lengths) are not here.
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


def _for(case: str) -> str:
    return f" (for {case})" if case else ""


# --------------------------------------------------------------------------- reading results


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
        raise AssertionError(f"{exc}{_for(case)}") from None


def _gradients(value, shapes, name, hints) -> dict[str, np.ndarray]:
    kind = type(value)
    if not isinstance(value, dict) or isinstance(getattr(kind, "__eq__", None), types.FunctionType):
        raise AssertionError(
            f"{name} should be a dict with the keys {key_list(shapes)}, "
            f"but it is {checks.describe(value)}"
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


def parameters(value: Any, D: int, K: int, name: str, *, case: str = "") -> dict[str, np.ndarray]:
    """The trained classifier ``{"W", "U", "b", "V", "c"}`` as float64 arrays, any hidden size H.

    H is read from ``W``; then ``W`` must be (H, H), ``U`` (H, D), ``b`` (H,), ``V`` (K, H) and
    ``c`` (K,).
    """
    keys = ("W", "U", "b", "V", "c")
    if isinstance(value, dict) and "W" in value:
        W = checks.as_array(value["W"], f"{name}['W']")
        H = W.shape[0] if W.ndim == 2 else 0
    else:
        H = 0
    shapes = {"W": (H, H), "U": (H, D), "b": (H,), "V": (K, H), "c": (K,)}
    if H == 0:  # the dict itself is wrong, or W is not a matrix: say which
        if isinstance(value, dict) and set(value) == set(keys):
            raise AssertionError(f"{name}['W'] should be a square matrix (H, H){_for(case)}")
        gradients(value, dict.fromkeys(keys, ()), name, case=case)
    hints = {
        "U": {(D, H): "U is transposed: it maps D inputs to H units, (H, D)"},
        "V": {
            (H, K): "V is transposed: it maps H units to K classes, (K, H)",
            (1, H): f"the classifier needs one row of V per class: K = {K}",
        },
        "c": {(1,): f"the classifier needs one bias per class: K = {K}"},
    }
    return gradients(value, shapes, name, hints=hints, case=case)


# --------------------------------------------------------------------------- comparing


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


def compare_every(
    got: Mapping[str, np.ndarray],
    expected: Mapping[str, Any],
    name: str,
    *,
    tol: Mapping[str, float] = checks.FLOAT64,
    wrong: Iterable[tuple[str, Mapping[str, Any] | None]] = (),
    show: bool = False,
) -> None:
    """Compare every key; fail once, naming every wrong key (for visible tests).

    A mistake in ``wrong`` whose variant matches ``got`` on every wrong key (and defines them
    all) is named once for all of them: "the gradients for 'x', 'h0' and 'W': <mistake>".
    Otherwise each wrong key gets its own sentence from :func:`checks.compare`; with ``show`` it
    says what came back.
    """
    __tracebackhide__ = True
    bad = [k for k in expected if not checks.close(got[k], expected[k], tol)]
    if not bad:
        return
    for mistake, values in wrong:
        if values is not None and all(
            k in values and values[k] is not None and checks.close(got[k], values[k], tol)
            for k in bad
        ):
            which = "gradient" if len(bad) == 1 else "gradients"
            raise AssertionError(f"{name}: the {which} for {key_list(bad)}: {mistake}")
    messages = []
    for key in bad:
        try:
            checks.compare(got[key], expected[key], f"{name}[{key!r}]", tol=tol, show=show)
        except AssertionError as exc:
            messages.append(str(exc))
    raise AssertionError("; ".join(messages))


def agrees_with_finite_differences(
    got: np.ndarray, numeric: np.ndarray, name: str, *, case: str = ""
) -> None:
    """Fail unless ``got`` matches the centred finite-difference gradient ``numeric``."""
    if not checks.close(got, numeric, FINITE_DIFFERENCES):
        raise AssertionError(
            f"{name}{_for(case)} does not agree with centred finite differences: "
            "the gradient is wrong, whatever formula produced it"
        )


def gradient_check(
    got: Mapping[str, np.ndarray],
    numeric: Mapping[str, np.ndarray],
    name: str,
    *,
    lengths: Any = None,
    case: str = "",
) -> None:
    """Fail once, naming every key whose gradient disagrees with centred finite differences.

    With ``lengths``, a wrong ``"x"`` (B, T, D) also says at which steps it goes wrong (see
    :func:`where_wrong`): the clearest hint at a carry that is missing or leaks through padding.
    """
    __tracebackhide__ = True
    bad = [k for k in numeric if not checks.close(got[k], numeric[k], FINITE_DIFFERENCES)]
    if not bad:
        return
    which = "gradient" if len(bad) == 1 else "gradients"
    message = (
        f"{name}{_for(case)}: the {which} for {key_list(bad)} "
        f"{'does' if len(bad) == 1 else 'do'} not agree with centred finite differences"
    )
    if "x" in bad and lengths is not None:
        message += f"; dx {where_wrong(got['x'], numeric['x'], lengths, FINITE_DIFFERENCES)}"
    raise AssertionError(message)


def where_wrong(
    got: np.ndarray, expected: np.ndarray, lengths: Any, tol: Mapping[str, float]
) -> str:
    """At which steps ``got`` (B, T, ...) differs from ``expected``, as the end of a sentence.

    Steps are told apart by where they sit in their sequence: the padding, each sequence's last
    real step, and the real steps before it. The phrase names the likely mistake.
    """
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    B, T = expected.shape[:2]
    lengths = np.full(B, T) if lengths is None else np.asarray(lengths)
    with np.errstate(all="ignore"):
        off = np.abs(got - expected) > tol["atol"] + tol["rtol"] * np.abs(expected)
    off = off.reshape(B, T, -1).any(axis=2) | ~np.isfinite(got).reshape(B, T, -1).all(axis=2)
    step = np.arange(T)
    padded, last = step >= lengths[:, None], step == lengths[:, None] - 1
    earlier = ~padded & ~last
    if off[padded].any() and not off[~padded].any():
        return "is wrong at padded steps only, where it must be exactly 0"
    if off[last].any():
        return (
            "is already wrong at each sequence's last real step, where only dhs arrives: "
            "look at dhs and at the derivative of tanh"
        )
    if off[earlier].any():
        return (
            "is right at each sequence's last real step but wrong at the steps before it: "
            "look at what flows back from step t + 1 (the carry), and whether it starts at 0 "
            "at each sequence's end"
        )
    return "is wrong"
