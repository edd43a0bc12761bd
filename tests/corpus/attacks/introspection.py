"""Functions that look at whoever calls them: the call stack, the test's frames and variables,
IPython's history, the garbage collector. What they find is kept and shown in the student's own
output, which must not hold a line of the hidden tests."""

# status: graded
# place: target
import gc
import inspect
import sys

seen = []


def spy(*args, **kwargs):
    frames = inspect.stack()
    seen.extend(repr(f.frame.f_locals)[:2000] for f in frames)
    seen.extend(str(f.code_context) for f in frames)
    frame = sys._getframe(1)
    while frame is not None:
        seen.append(repr(frame.f_globals.get("In", ""))[:5000])
        frame = frame.f_back
    seen.extend(repr(o)[:200] for o in gc.get_objects() if isinstance(o, str) and "HIDDEN" in o)
    return None


for name in GRADED:  # noqa: F821
    globals()[name] = spy
