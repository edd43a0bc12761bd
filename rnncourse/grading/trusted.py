"""What the grader runs in its trusted kernel, around the test cells it runs there.

A worker keeps one trusted kernel for every student it grades. The kernel never runs a student's
code: only the test cells (the instructor's, restored by nbgrader) and these calls, which the
worker sends as silent requests that leave no trace in the notebook:

* :func:`attach` before a student's first cell: the line to that student's sandboxed kernel;
* :func:`bind` before each test cell: every name the test cell reads (and does not define itself)
  that the student's notebook defines, bound here as a :class:`~rnncourse.grading.proxy.Proxy`
  if it is a function, else as an :class:`~rnncourse.grading.proxy.Opaque` stand-in that fails
  when used (a test calls the student's functions and reads nothing else of theirs: a value in
  their notebook is theirs to change); the time the cell may take starts counting;
* :func:`detach` after the student: the line is closed and the kernel is put back as it started
  (namespace, warnings, NumPy's error and random state, working folder), so that the next student
  is graded exactly as the first.
"""

from __future__ import annotations

import os
import sys
import time
import warnings

import numpy as np

from rnncourse.grading import wire
from rnncourse.grading.link import Link
from rnncourse.grading.proxy import Opaque, Proxy

#: Seconds kept back from a cell's time limit, so that a late call fails with a sentence first.
MARGIN = 1.5
#: The state :func:`detach` restores, taken when this module is first imported (kernel start).
INITIAL = {
    "filters": list(warnings.filters),
    "errors": np.geterr(),
    "random": np.random.get_state(),  # noqa: NPY002 (the legacy global state a test might touch)
    "cwd": os.getcwd(),
}
LINK: Link | None = None
BOUND: set[str] = set()


def _shell():
    from IPython import get_ipython

    return get_ipython()


def _plain_python(shell) -> None:
    """Run cells as the plain Python they are: test cells use no magics, ``!`` or ``?``.

    IPython tokenizes every line of every cell to look for those and compiles each cell once
    more to look for ``await``, and ipykernel hashes every cell to name it for its debugger:
    most of this kernel's time on long hidden tests. (A test
    cell with IPython syntax would then fail with a SyntaxError, for everyone, at once.)
    A failing test's traceback is formatted plainly: IPython's default highlights the source
    around every frame, which took half of this kernel's time in a batch of wrong answers
    (feedback shows only the failing check's message; the instructor still sees each frame).
    """
    shell.transform_cell = lambda raw_cell: raw_cell
    shell.compile.get_code_name = lambda raw_code, code, number: f"<test cell {number}>"
    shell.autoawait = False  # no top-level await: no trial compilation of every cell
    shell.InteractiveTB.set_mode("Plain")  # file, line and source of each frame; no context


SHELL = _shell()
if SHELL is not None:
    _plain_python(SHELL)
    INITIAL["names"] = dict(SHELL.user_ns)


def attach(path: str, pid: int) -> None:
    """Connect to the agent on Unix socket ``path`` in the sandboxed kernel of process ``pid``."""
    global LINK
    detach()
    LINK = Link(path, pid)


def bind(names: list[str], seconds: float) -> None:
    """(Re)bind ``names`` as the student's notebook now defines them; the cell has ``seconds``."""
    LINK.deadline = time.monotonic() + max(seconds - MARGIN, 0.5)
    ns = _shell().user_ns
    for name in BOUND:
        ns.pop(name, None)
    BOUND.clear()
    reply = LINK.request({"op": "describe", "names": list(names)})
    described = reply.get("names")
    if type(described) is not dict:
        raise wire.WireError("a malformed description")
    for name in names:
        description = wire.Description.from_message(described.get(name, {"kind": "absent"}))
        if description.kind == "absent":
            continue
        if description.kind == "function":
            ns[name] = Proxy(LINK, name, description.params)
        else:
            ns[name] = Opaque(name, description.about)
        BOUND.add(name)


def detach() -> None:
    """Close the line to the student's kernel and restore this kernel's starting state."""
    global LINK
    if LINK is not None:
        LINK.close()
        LINK = None
    BOUND.clear()
    if SHELL is not None:
        _forget(SHELL)
    warnings.filters[:] = INITIAL["filters"]
    warnings._filters_mutated()  # forget which warnings were already shown once
    np.seterr(**INITIAL["errors"])
    np.random.set_state(INITIAL["random"])  # noqa: NPY002
    os.chdir(INITIAL["cwd"])


def _forget(shell) -> None:
    """The namespace and history as the kernel started (like IPython's ``reset``, but without its
    garbage collection, a tenth of a second per student)."""
    ns, initial = shell.user_ns, INITIAL["names"]
    for name in [n for n in ns if n not in initial]:
        del ns[name]
    ns.update(initial)
    history = shell.history_manager
    history.input_hist_parsed[:] = history.input_hist_raw[:] = [""]
    history.output_hist.clear()
    history.output_hist_reprs.clear()
    sys.last_type = sys.last_value = sys.last_traceback = None
