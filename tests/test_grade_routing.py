"""Which names a test cell gets from the student's notebook, and how a stopped kernel is reported."""

from __future__ import annotations

import textwrap

import pytest

from rnncourse.grading import internals, routing

CELLS = {
    "a called function, not the helpers the cell defines": (
        """
        import numpy as np
        from rnncourse.grading import checks

        def reference(x):
            return np.tanh(x)

        got = checks.call(rnn_forward, np.ones(3))
        assert np.allclose(got, reference(np.ones(3))), len(got)
        """,
        ("rnn_forward",),
    ),
    "a name read inside a function, a name given as a string": (
        """
        tests = checks_visible("birnn_forward", globals())

        def _hidden():
            return deep_rnn_forward(1) + helper
        """,
        ("birnn_forward", "checks_visible", "deep_rnn_forward", "helper"),
    ),
    "never a builtin, IPython's names, or a name the cell binds later": (
        """
        print(len(range(3)), isinstance(1, int), get_ipython, display)
        x = count_parameters(1, [2])
        for i in range(x):
            pass
        """,
        ("count_parameters",),
    ),
}


@pytest.mark.parametrize(("source", "names"), CELLS.values(), ids=CELLS.keys())
def test_a_test_cell_gets_exactly_the_names_it_reads_and_does_not_define(source, names):
    assert routing.needed_names(textwrap.dedent(source)) == names


def test_a_test_cell_nbgrader_put_back_is_still_the_instructors():
    restored = internals.as_restored("a-tests", "# Checks that a is right.\nassert True\n")
    assert restored.startswith("# This cell (id:a-tests) was missing from the submission.")
    assert restored.endswith("# Checks that a is right.\nassert True\n")


class _Process:
    def __init__(self, code):
        self.code = code

    def poll(self):
        return self.code


class _Box:
    def __init__(self, code, confined=True, oom=False):
        self.km = type(
            "KM",
            (),
            {
                "provisioner": type("P", (), {"process": _Process(code)})(),
                "init_pid": 7 if confined else 0,
            },
        )()
        self._oom = oom

    def out_of_memory(self):
        return self._oom


@pytest.mark.parametrize(
    ("box", "words"),
    [
        (_Box(3), "the kernel exited with status 3"),
        (_Box(137), "the kernel was killed by SIGKILL"),
        (_Box(-9, confined=False), "the kernel was killed by SIGKILL"),
        (_Box(None), "the kernel stopped responding"),
        (_Box(137, oom=True), "the kernel ran out of memory and was stopped"),
    ],
)
def test_a_stopped_kernel_is_explained_in_words(box, words):
    assert routing.exit_reason(box) == words
