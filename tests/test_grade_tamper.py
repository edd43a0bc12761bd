"""The tamper checks notice what no honest answer needs, and stay quiet about honest answers."""

from __future__ import annotations

import json

import nbformat
import numpy as np
import pytest
from nbgrader_course import answer_code, corpus

from conftest import REPO
from rnncourse.grading import tamper
from rnncourse.grading.validate import is_answer

CHEATS = [
    ("np.allclose = lambda *a, **k: True", "assigns np.allclose"),
    (
        "import numpy\nnumpy.testing.assert_allclose = print",
        "assigns numpy.testing.assert_allclose",
    ),
    ("import numpy as xp\nsetattr(xp, 'all', lambda *a: True)", "calls setattr on xp"),
    (
        "from rnncourse.grading import checks\nchecks.compare = lambda *a, **k: None",
        "checks.compare",
    ),
    ("get_ipython().showtraceback = lambda *a, **k: None", "changes the IPython shell"),
    ("ip = get_ipython()\nip.set_custom_exc((Exception,), lambda *a: None)", "custom exception"),
    ("get_ipython().ast_transformers.append(object())", "AST transformers"),
    ("get_ipython().events.register('post_run_cell', print)", "event callbacks"),
    ("import builtins\nbuiltins.isinstance = lambda a, b: True", "imports builtins"),
    ("__builtins__.print = None", "__builtins__"),
    ("class A:\n    def __eq__(self, other):\n        return True", "class A defines __eq__"),
    ("class B(np.ndarray):\n    pass", "class B subclasses np.ndarray"),
    ("np.ndarray.__eq__ = lambda a, b: True", "fakes"),
    ("import sys\nsys.modules['numpy'] = None", "sys.modules"),
    ("import sys\nframe = sys._getframe(1)", "sys._getframe"),
    ("import inspect\nexpected = inspect.stack()[1].frame.f_locals", "imports inspect"),
    ("import gc", "imports gc"),
    ("import ctypes", "imports ctypes"),
    ("from unittest import mock", "imports unittest.mock"),
    ("import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)", "imports signal"),
    ("exec('x = 1')", "exec"),
    ("eval('1 + 1')", "eval"),
    ("%config InlineBackend.figure_format = 'svg'", "%config"),
    ("!pip install numpy", "shell commands"),
]


@pytest.mark.parametrize(("code", "finding"), CHEATS, ids=[c[1] for c in CHEATS])
def test_the_static_scan_names_each_cheat(code, finding):
    found = tamper.scan([("cell 5 (ewma)", code)])
    assert any(finding in text for text in found), found
    assert all(text.startswith("cell 5 (ewma): ") for text in found)


def honest_cells():
    """Every reference answer of both exercises and every corpus implementation but the cheats."""
    cells = []
    for path in sorted((REPO / "source").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        cells += [(path.stem, answer_code(c)) for c in nb.cells if is_answer(c)]
    for folder in ("ex1", "ex2"):
        for impl in corpus(folder):
            if "fools_equality" not in impl.name:
                cells += [(impl.name, source) for source in impl.cells.values()]
    return cells


def test_honest_answers_are_never_flagged():
    cells = honest_cells()
    assert len(cells) > 60
    assert tamper.scan(cells) == []


def test_ordinary_notebook_habits_are_not_flagged():
    habits = [
        "%timeit np.tanh(np.ones(10))",
        "%matplotlib inline\nimport matplotlib.pyplot as plt\nplt.rcParams['figure.dpi'] = 120",
        "import os\nos.environ['OMP_NUM_THREADS'] = '1'",
        "from rnncourse.grading import checks\nchecks.result([1.0], (1,), 'x')",
        "from dataclasses import dataclass\n@dataclass\nclass Layer:\n    W: np.ndarray",
        "np.random.seed(0)\nnp.set_printoptions(precision=3)",
        "def f(:\n    pass",  # a syntax error fails on its own
    ]
    assert tamper.scan([("cell", code) for code in habits]) == []


def test_the_probe_report_is_read_only_with_the_right_nonce():
    line = f"{tamper.PROBE_MARK} abc " + json.dumps({"found": [["np.all was replaced", 3]]})
    outputs = [{"output_type": "stream", "name": "stdout", "text": f"hello\n{line}\n"}]
    assert tamper.read_report(outputs, "abc") == [("np.all was replaced", 3)]
    assert tamper.read_report(outputs, "xyz") is None  # a forged line without the secret nonce
    assert tamper.read_report([], "abc") is None
    broken = [{"output_type": "stream", "name": "stdout", "text": f"{tamper.PROBE_MARK} abc {{"}]
    assert tamper.read_report(broken, "abc") is None


def test_the_watch_notices_a_replaced_function_and_a_fake_class():
    watch = tamper.Watch("test")
    watch.snapshot = watch.take_snapshot()
    assert watch.differences() == []
    original = np.allclose
    np.allclose = lambda *a, **k: True
    try:
        assert "numpy.allclose was replaced or deleted" in watch.differences()
    finally:
        np.allclose = original
    assert watch.differences() == []

    Fake = type("Fake", (), {"__eq__": lambda self, other: True, "__module__": "__main__"})
    assert tamper.Watch.fake_members(Fake) == ["__eq__"]
    assert tamper.Watch.fake_members(dict) == []  # only classes the notebook defines count
