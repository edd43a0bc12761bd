"""Python's own builtins replaced, for every cell that runs after: ``isinstance``, ``print``,
``AssertionError``. The student's kernel cannot run a cell any more, so it is stopped."""

# status: timeout
# place: target
import builtins

builtins.AssertionError = type("AssertionError", (Warning,), {})
builtins.isinstance = lambda obj, kind: True
builtins.print = lambda *args, **kwargs: None

for name in GRADED:  # noqa: F821
    globals()[name] = lambda *args, **kwargs: None
