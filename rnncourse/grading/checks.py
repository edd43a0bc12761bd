"""The checks that the exercises' test cells run on a student's function.

A grade is only worth something if every correct implementation passes and every wrong one fails,
and a student learns *what* is wrong without being handed the answer. These helpers do the parts
that are the same for every exercise:

* :func:`call` runs the student's function quietly, turns a crash into a sentence, and fails when
  the function changed one of its inputs in place;
* :func:`as_array` and :func:`result` accept real arrays, numbers and (nested) lists of numbers,
  and nothing else: no object that defines its own ``==``, no array subclass, no ``object`` dtype,
  no NaN or infinity; shapes are checked exactly;
* :func:`compare` compares with a tolerance that accepts float32 computation and, when the values
  are wrong, names the mistake by comparing with wrong variants that the (hidden) test computed;
* :func:`raises` expects an exception (a ``ValueError`` with a sentence, say) and says what came
  back instead; :func:`pair` and :func:`number` read a returned pair and a returned number;
* :class:`Visible` runs the visible tests of a test cell as named checks and fails once, naming
  every check that failed (what came back, and the likely mistake), or says "run the answer cell
  above first" when the student's function is not defined yet;
* one mistake costs once: where a graded function builds on another, :func:`gives` asks whether
  the inner one is right on a visible case (:meth:`Visible.needs` then lets the outer checks
  wait), and hidden tests compare with what the student's own inner function gives
  (:func:`matches`), forgive a change in place made by the inner function
  (:func:`changes_inputs`, :func:`call_on_copies`), but never an unwritten outer function
  (:func:`implemented`, :func:`not_implemented`).

Every failure is an ``AssertionError`` whose message is a sentence about the student's code. No
message contains an expected number (except where a visible test asks for it with ``show=True``:
its numbers are in the test for everyone to read): the tests decide what to compare, these
helpers only say whether it matched.

This module is infrastructure. The functions students write are not here, nor anywhere else in
the ``rnncourse`` package.
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import io
import types
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

#: Tolerances for results computed from float64 inputs: any correct order of operations passes.
FLOAT64 = {"rtol": 1e-10, "atol": 1e-10}
#: Tolerances for float32 inputs: a correct implementation may compute in single precision.
FLOAT32 = {"rtol": 1e-5, "atol": 1e-6}
#: Tolerances for counts and other whole numbers.
EXACT = {"rtol": 0.0, "atol": 0.0}


# --------------------------------------------------------------------------- running the function


def call(fn: Callable, *args: Any, case: str = "", **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, run quietly; any problem becomes an ``AssertionError`` in words.

    Output the function prints and warnings it raises are swallowed (they would otherwise reach
    the feedback, and nbgrader gives zero points to a test cell that writes to stderr). If the
    function raises, the message names the error and the ``case``; if it changed one of its
    arguments in place, the message names that argument.
    """
    __tracebackhide__ = True
    value, error, before = _run_quietly(fn, args, kwargs)
    if error is not None:
        raise _failure(fn, error, case) from None
    changed = changed_arguments(fn, before, args, kwargs)
    if changed:
        raise AssertionError(
            f"{getattr(fn, '__name__', 'your function')} changed its input "
            f"{' and '.join(changed)} in place{_for(case)}; "
            "build new arrays instead of writing into the arguments"
        )
    return value


def call_on_copies(fn: Callable, *args: Any, case: str = "", **kwargs: Any) -> Any:
    """Like :func:`call`, but on copies of the arguments, so a change in place goes unnoticed.

    For a function built on another graded function that :func:`changes_inputs`: the inner
    function's test charges that mistake, the outer one is judged on its values.
    """
    __tracebackhide__ = True
    args, kwargs = copy.deepcopy((args, kwargs))
    value, error, _ = _run_quietly(fn, args, kwargs)
    if error is not None:
        raise _failure(fn, error, case) from None
    return value


def implemented(fn: Callable, *args: Any, **kwargs: Any) -> None:
    """Fail if ``fn(*args, **kwargs)`` raises NotImplementedError; any other outcome passes.

    For a visible test whose other checks wait for a function this one builds on: the student
    still learns that this function is not written yet.
    """
    __tracebackhide__ = True
    _, error, _ = _run_quietly(fn, *copy.deepcopy((args, kwargs)))
    if isinstance(error, NotImplementedError):
        name = getattr(fn, "__name__", "your function")
        raise AssertionError(
            f"{name} is not implemented yet (it, or a function it calls, raises "
            "NotImplementedError)"
        )


def changes_inputs(fn: Callable, *args: Any, **kwargs: Any) -> bool:
    """Whether ``fn(*args, **kwargs)``, run quietly on copies, changes one of its inputs in place."""
    args, kwargs = copy.deepcopy((args, kwargs))
    _, _, before = _run_quietly(fn, args, kwargs)
    return bool(changed_arguments(fn, before, args, kwargs))


def raises(
    fn: Callable, exception: type[Exception], *args: Any, case: str = "", **kwargs: Any
) -> str:
    """The message of the ``exception`` that ``fn(*args, **kwargs)`` must raise, or a failure.

    Fails when the function returns, raises another kind of error, or raises without a sentence
    that says why (fewer than three words). Runs quietly, like :func:`call`.
    """
    __tracebackhide__ = True
    name, wanted = getattr(fn, "__name__", "your function"), exception.__name__
    value, error, _ = _run_quietly(fn, args, kwargs)
    if error is None:
        raise AssertionError(
            f"{name} returned {describe(value)}{_for(case)}, but it should raise {wanted}"
        )
    if isinstance(error, NotImplementedError):
        raise AssertionError(_raised(fn, error, case))
    if not isinstance(error, exception):
        raise AssertionError(f"{_raised(fn, error, case)}; it should raise {wanted} here")
    message = str(error).strip()
    if len(message.split()) < 3:
        raise AssertionError(
            f"{name} raised {wanted}{_for(case)} without a sentence that says why; "
            f'give it a message, raise {wanted}("..."), that a user can act on'
        )
    return message


def _run_quietly(fn: Callable, args: tuple, kwargs: dict) -> tuple[Any, Exception | None, tuple]:
    """``(value, None, before)`` or ``(None, exception, before)``; prints and warnings dropped.

    ``before`` is a deep copy of the arguments, taken before the call, for
    :func:`changed_arguments`.
    """
    if not callable(fn):
        raise AssertionError(f"{getattr(fn, '__name__', 'your function')} is not a function")
    before = copy.deepcopy((args, kwargs))
    try:
        with (
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            return fn(*args, **kwargs), None, before
    except Exception as exc:  # the student's error, reported as a sentence by the caller
        return None, exc, before


def _failure(fn: Callable, error: Exception, case: str) -> AssertionError:
    """The failure for a function that raised; ``.student_error`` keeps what it raised."""
    failure = AssertionError(_raised(fn, error, case))
    failure.student_error = error
    return failure


def not_implemented(failure: AssertionError) -> bool:
    """Whether ``failure`` (from :func:`call`) says the function raised NotImplementedError."""
    return isinstance(getattr(failure, "student_error", None), NotImplementedError)


def _raised(fn: Callable, error: Exception, case: str) -> str:
    name = getattr(fn, "__name__", "your function")
    if isinstance(error, NotImplementedError):
        return f"{name} is not implemented yet (it raises NotImplementedError)"
    text = str(error)
    detail = f": {text[:300]}{' …' if len(text) > 300 else ''}" if text else ""
    return f"{name} raised {type(error).__name__}{_for(case)}{detail}"


def attempt(fn: Callable, *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)``, or ``None`` if it raises (a wrong variant that does not apply)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(*args, **kwargs)
    except Exception:
        return None


def changed_arguments(fn: Callable, before: tuple, args: tuple, kwargs: dict) -> list[str]:
    """Names of the arguments whose contents differ from the copies in ``before``."""
    old_args, old_kwargs = before
    try:
        names = list(inspect.signature(fn).bind(*args, **kwargs).arguments)
    except (TypeError, ValueError):
        names = []
    names += [f"argument {i + 1}" for i in range(len(names), len(args))]
    changed = [
        names[i]
        for i, (old, new) in enumerate(zip(old_args, args, strict=True))
        if not same(old, new)
    ]
    changed += [key for key in kwargs if not same(old_kwargs[key], kwargs[key])]
    return changed


def same(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` hold the same content (arrays, lists, tuples, dicts, numbers)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (
            isinstance(a, np.ndarray)
            and isinstance(b, np.ndarray)
            and a.shape == b.shape
            and a.dtype == b.dtype
            and bool(np.array_equal(a, b, equal_nan=a.dtype.kind in "fc"))
        )
    if isinstance(a, list | tuple):
        return type(a) is type(b) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, Mapping):
        return isinstance(b, Mapping) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    try:
        return bool(a == b) or (a != a and b != b)  # numbers; NaN equals NaN here
    except Exception:
        return a is b


# --------------------------------------------------------------------------- reading results


def as_array(value: Any, name: str = "the result") -> np.ndarray:
    """``value`` as a float64 array, if it is a real array, a real number or a list of them.

    Rejects objects that define their own ``==`` (or any other class), array subclasses, and
    arrays of booleans, complex numbers, strings or Python objects, so that a comparison cannot
    be fooled.
    """
    _reject_impostors(value, name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            array = np.asarray(value)
    except (ValueError, TypeError):
        raise AssertionError(
            f"{name} cannot be read as one array: its pieces have different lengths"
        ) from None
    if array.dtype.kind not in "iuf":
        raise AssertionError(
            f"{name} holds values of type {array.dtype}; it should hold real numbers (floats)"
        )
    return array.astype(np.float64)


def _reject_impostors(value: Any, name: str) -> None:
    kind = type(value)
    if kind is np.ndarray or kind in (int, float):
        return
    if isinstance(value, np.generic) and kind.__module__ == "numpy":
        return
    if kind in (list, tuple):
        for item in value:
            _reject_impostors(item, name)
        return
    own_eq = isinstance(getattr(kind, "__eq__", None), types.FunctionType)  # == written in Python
    if own_eq and not isinstance(value, np.ndarray):
        raise AssertionError(
            f"{name} is an object of type {kind.__name__} that defines its own ==; "
            "return a NumPy array (np.ndarray) instead"
        )
    raise AssertionError(
        f"{name} is an object of type {kind.__name__}; return a NumPy array (np.ndarray) instead"
    )


def result(
    value: Any,
    shape: tuple[int, ...],
    name: str,
    *,
    axes: str | None = None,
    hints: Mapping[tuple[int, ...], str] | None = None,
) -> np.ndarray:
    """``value`` as a float64 array of exactly ``shape`` with finite entries, or a failure.

    ``axes`` names the dimensions for the message (``"(B, T, H)"``); ``hints`` maps a wrong shape
    to a sentence that explains how a student usually gets it ("h0 is included in the output").
    """
    array = as_array(value, name)
    shape = tuple(shape)
    if array.shape != shape:
        wanted = f"{axes} = {shape}" if axes else str(shape)
        message = f"{name} has shape {array.shape}, but it should have shape {wanted}"
        hint = (hints or {}).get(array.shape)
        raise AssertionError(f"{message}: {hint}" if hint else message)
    if not np.all(np.isfinite(array)):
        raise AssertionError(f"{name} contains NaN or infinite values")
    return array


def integer(value: Any, name: str) -> int:
    """``value`` as an ``int``, if it is a Python or NumPy integer (not a bool, not a float)."""
    kind = type(value)
    ok = kind is int or (isinstance(value, np.integer) and kind.__module__ == "numpy")
    if not ok:
        raise AssertionError(
            f"{name} should be a whole number of type int, but it is of type {kind.__name__}"
        )
    return int(value)


def sequence(
    value: Any,
    length: int,
    name: str,
    *,
    what: str = "",
    hints: Mapping[int, str] | None = None,
) -> list:
    """``value`` as a list, if it is a list or tuple of exactly ``length`` items.

    ``what`` says what the items are, for the message ("one array per layer").
    """
    about = f" ({what})" if what else ""
    if type(value) not in (list, tuple):
        raise AssertionError(
            f"{name} should be a list{about}, but it is an object of type {type(value).__name__}"
        )
    if len(value) != length:
        message = (
            f"{name} should be a list of length {length}{about}, but its length is {len(value)}"
        )
        hint = (hints or {}).get(len(value))
        raise AssertionError(f"{message}: {hint}" if hint else message)
    return list(value)


def number(value: Any, name: str) -> float:
    """``value`` as a ``float``, if it is a finite Python or NumPy number (not a bool, not an array)."""
    kind = type(value)
    numpy_number = isinstance(value, np.integer | np.floating) and kind.__module__ == "numpy"
    if not (kind in (int, float) or numpy_number):
        raise AssertionError(f"{name} should be a number (a float), but it is {describe(value)}")
    number = float(value)
    if not np.isfinite(number):
        raise AssertionError(f"{name} is {number}; it should be a finite number")
    return number


def pair(value: Any, name: str, what: tuple[str, str] = ("the first", "the second")) -> tuple:
    """``value`` as a tuple of two items, if it is a tuple or list of exactly two items.

    ``what`` names the two items for the message (``("hs", "h_last")``).
    """
    if type(value) in (tuple, list) and len(value) == 2:
        return tuple(value)
    raise AssertionError(
        f"{name} should return a pair ({what[0]}, {what[1]}), but it returned {describe(value)}"
    )


def describe(value: Any) -> str:
    """A few words about what ``value`` is, for a message: its type, shape or length (no values)."""
    if value is None:
        return "None (is a return statement missing?)"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if type(value) in (tuple, list):
        items = ", ".join(_brief(item) for item in value[:3]) + (", …" if len(value) > 3 else "")
        return f"a {type(value).__name__} of {len(value)} item(s) ({items})"
    return f"a {_brief(value)}"


def _brief(item: Any) -> str:
    if isinstance(item, np.ndarray):
        return f"array of shape {item.shape}"
    if type(item) in (tuple, list):
        return f"{type(item).__name__} of {len(item)}"
    return "number" if type(item) in (int, float) else type(item).__name__


def glimpse(value: Any, limit: int = 8) -> str:
    """A few of the values in ``value``, rounded, for the message of a visible test."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (ValueError, TypeError):
        return describe(value)
    flat = array.ravel()
    text = ", ".join(f"{v:.4g}" for v in flat[:limit]) + (", …" if flat.size > limit else "")
    return text if array.ndim == 0 else f"[{text}]"


# --------------------------------------------------------------------------- comparing


def _came_back(got: Any, expected: np.ndarray, tol: Mapping[str, float]) -> str:
    """For a visible test: what came back, and where it first differs from what was expected."""
    got = np.asarray(got, dtype=np.float64)
    if got.shape != expected.shape or expected.size <= 8:
        return f"; it came back {glimpse(got)}, not {glimpse(expected)}"
    with np.errstate(all="ignore"):
        off = np.abs(got - expected) > tol["atol"] + tol["rtol"] * np.abs(expected)
    index = tuple(int(i) for i in np.argwhere(off | ~np.isfinite(got))[0])
    return (
        f"; it came back {glimpse(got)}, and at index {list(index)} it holds "
        f"{got[index]:.4g} where {expected[index]:.4g} was expected"
    )


def tolerance(*inputs: Any) -> dict[str, float]:
    """:data:`FLOAT32` if any input is a float32 (or float16) array, else :data:`FLOAT64`."""
    for item in inputs:
        dtype = getattr(item, "dtype", None)
        if dtype is not None and dtype.kind == "f" and dtype.itemsize < 8:
            return FLOAT32
    return FLOAT64


def close(got: Any, expected: Any, tol: Mapping[str, float] = FLOAT64) -> bool:
    """Same shape and ``|got - expected| <= atol + rtol * |expected|`` everywhere.

    Lists of arrays of different shapes (one ``h_last`` per layer) are compared item by item.
    """
    try:
        got = np.asarray(got, dtype=np.float64)
        expected = np.asarray(expected, dtype=np.float64)
    except (ValueError, TypeError):  # ragged: compare the items
        return (
            type(got) in (list, tuple)
            and type(expected) in (list, tuple)
            and len(got) == len(expected)
            and all(close(g, e, tol) for g, e in zip(got, expected, strict=True))
        )
    if got.shape != expected.shape:
        return False
    with np.errstate(all="ignore"):
        bound = tol["atol"] + tol["rtol"] * np.abs(expected)
        return bool(np.all(np.abs(got - expected) <= bound))


def compare(
    got: np.ndarray,
    expected: Any,
    name: str,
    *,
    case: str = "",
    tol: Mapping[str, float] = FLOAT64,
    wrong: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
    time_axis: int | None = None,
    show: bool = False,
) -> None:
    """Pass if ``got`` matches ``expected``; otherwise fail with a sentence that says what is wrong.

    ``wrong`` maps a description of a mistake ("the bias b is never added") to the values that
    mistake produces (``None`` when it does not apply to this case), as a mapping or as a list of
    pairs (two variants may share a description); the first match is reported.
    With ``time_axis`` the message also says whether the first time step is already wrong.
    Neither ``got`` nor ``expected`` is printed, unless ``show`` is true: a visible test, whose
    numbers anyone can read, then shows what came back and what was expected.
    """
    __tracebackhide__ = True
    expected = np.asarray(expected, dtype=np.float64)
    if close(got, expected, tol):
        return
    where = f"{name}{_for(case)}"
    shown = _came_back(got, expected, tol) if show else ""
    pairs = wrong.items() if isinstance(wrong, Mapping) else (wrong or [])
    for mistake, values in pairs:
        if values is not None and close(got, values, tol):
            raise AssertionError(f"{where}: {mistake}{shown}")
    if tol["rtol"] < FLOAT32["rtol"] and close(got, expected, FLOAT32):
        raise AssertionError(
            f"{where}: the values are close but not exact, as if rounded to float32; "
            "keep float64 inputs in float64"
        )
    detail = "the values are wrong"
    if time_axis is not None and got.shape == expected.shape and got.shape[time_axis] > 1:
        first = np.take(got, [0], axis=time_axis)
        if close(first, np.take(expected, [0], axis=time_axis), tol):
            detail = "the first time step is right, but later steps are wrong"
        else:
            detail = "the values are wrong from the first time step on"
    raise AssertionError(f"{where}: {detail}{shown}")


def gives(fn: Callable, expected: Any, *args: Any, **kwargs: Any) -> bool:
    """Whether ``fn(*args, **kwargs)`` runs quietly, changes no input, and returns ``expected``.

    ``expected`` is an array, a number, or a tuple/list of these (nested); the result must have
    the same structure (a list for a tuple is fine) and match within the tolerance of the inputs.
    A visible test uses it to ask whether a function that another one builds on is right on the
    case at hand.
    """
    args, kwargs = copy.deepcopy((args, kwargs))  # the test's own data stays as it is
    value, error, before = _run_quietly(fn, args, kwargs)
    if error is not None or changed_arguments(fn, before, args, kwargs):
        return False
    return matches(value, expected, tolerance(*args, *kwargs.values()))


def matches(got: Any, expected: Any, tol: Mapping[str, float] = FLOAT64) -> bool:
    """Whether ``got`` has the structure of ``expected`` (arrays, numbers, nested tuples/lists;
    a list for a tuple is fine) and the same values within ``tol``. Never fails."""
    if expected is None:  # a variant that could not be computed
        return False
    if isinstance(expected, tuple | list):
        return (
            type(got) in (tuple, list)
            and len(got) == len(expected)
            and all(matches(g, e, tol) for g, e in zip(got, expected, strict=True))
        )
    try:
        return close(as_array(got), expected, tol)
    except AssertionError:
        return False


def padded_zero(values: np.ndarray, real: np.ndarray, name: str, *, case: str = "") -> None:
    """Fail unless ``values[b, t]`` is exactly 0 wherever ``real[b, t]`` is False (padding).

    ``real`` is the ``(B, T)`` mask of real steps, ``t < lengths[b]``.
    """
    __tracebackhide__ = True
    padded = ~np.asarray(real, dtype=bool)
    if np.any(np.asarray(values)[padded] != 0):
        raise AssertionError(
            f"{name}{_for(case)} is not 0 at every padded step (t >= lengths[b]); "
            "an output at a padded step must be exactly 0"
        )


# --------------------------------------------------------------------------- visible tests


class Visible:
    """The visible tests of one test cell, run as named checks and reported all at once.

    ::

        tests = checks.Visible("rnn_forward", globals())
        with tests.check("one batch, worked by hand"):
            ...  # asserts and checks.* calls; the first failure ends this check only
        with tests.check("padding changes nothing"):
            ...
        tests.done()  # one AssertionError naming every failed check, or a line saying all passed

    A check that fails records its message and the next check runs, so the student sees every
    wrong part at once. If the student's function is not defined yet (the answer cell was not
    run), the constructor (given the cell's ``globals()``) or :meth:`done` says so, instead of a
    ``NameError``. Checks under ``if tests.needs(...)`` wait, with a note, while a function they
    build on is wrong on their example.
    """

    def __init__(self, function: str, namespace: Mapping | None = None, uses: Iterable[str] = ()):
        """``namespace`` (the cell's ``globals()``): fail at once, in words, unless ``function``
        and the functions it ``uses`` are defined there."""
        __tracebackhide__ = True
        self.function = function
        missing = [n for n in (function, *uses) if namespace is not None and n not in namespace]
        if missing:
            raise AssertionError(_not_defined(missing))
        self.checks = 0
        self.failures: list[tuple[str, str]] = []
        self.undefined: list[str] = []
        self.waiting: list[str] = []

    @contextlib.contextmanager
    def check(self, what: str):
        """Run the block as the check ``what``; a failure in it is recorded, not raised."""
        self.checks += 1
        try:
            yield
        except NameError as exc:
            name = getattr(exc, "name", None) or str(exc)
            if name not in self.undefined:
                self.undefined.append(name)
        except AssertionError as exc:
            self.failures.append((what, str(exc) or "the check failed"))
        except Exception as exc:  # a result the test could not even read
            self.failures.append((what, f"{type(exc).__name__}: {exc}"))

    def needs(self, ready: bool, function: str) -> bool:
        """``ready``; if false, the checks under it wait for ``function``, which is wrong there.

        ::

            if tests.needs(checks.gives(rnn_forward, ...), "rnn_forward"):
                with tests.check(...):
                    ...

        So a mistake in a function that another builds on fails only that function's test.
        """
        if not ready:
            self.waiting.append(function)
        return ready

    def done(self) -> None:
        """Fail once with every recorded failure, or print that all checks passed."""
        __tracebackhide__ = True
        if self.undefined:
            raise AssertionError(_not_defined(self.undefined))
        if self.failures:
            messages = {message for _, message in self.failures}
            unwritten = [m for m in messages if "is not implemented yet" in m]
            if len(unwritten) == len(messages):  # nothing written yet: say just that
                raise AssertionError(f"{unwritten[0]}: write it in the answer cell above")
            if len(self.failures) > 1 and len(messages) == 1:  # one cause: say it once
                raise AssertionError(
                    f"{self.function} fails {len(self.failures)} of {self.checks} visible "
                    f"checks, all in the same way: {messages.pop()}"
                )
            lines = [f"{self.function} fails {len(self.failures)} of {self.checks} visible checks:"]
            lines += [f"- {what}: {message}" for what, message in self.failures]
            raise AssertionError("\n".join(lines))
        if self.waiting:
            names = " and ".join(dict.fromkeys(self.waiting))
            passed = (
                f"{self.checks} visible check(s) of {self.function} passed; the others"
                if (self.checks)
                else f"The visible checks of {self.function}"
            )
            print(
                f"{passed} wait for {names}, which is not right yet on their examples "
                "(its own test says what is wrong): fix it, then run this cell again."
            )
            return
        print(
            f"All {self.checks} visible checks of {self.function} passed. "
            "More tests run when your notebook is graded."
        )


def _not_defined(names: list[str]) -> str:
    return (
        f"{' and '.join(names)} {'is' if len(names) == 1 else 'are'} not defined yet: "
        "run the answer cell above first (and the cells before it), then this test cell"
    )


def _for(case: str) -> str:
    return f" (for {case})" if case else ""
