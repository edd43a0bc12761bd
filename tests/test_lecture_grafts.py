"""No lecture paste passes: every function a lecture defines, grafted into a graded answer cell, loses its points.

DESIGN §6: the exercises ask for the step the lectures prepare but do not take. This test takes
every function defined in any lecture's code cells (found with ``ast``, nested ones included),
together with the lecture functions it calls and the lecture's imports, and grafts it into each
graded answer cell of each exercise under the graded name, through an adapter with the graded
signature: parameters are mapped by name, then by position (leaving the lecture's defaults alone,
or filling them too); a graft is skipped only when the lecture function needs more arguments than
the graded signature has. Each graft is tried as it is and with its result adapted the way a
student would (``hs`` -> ``(hs, hs[:, -1])``; a list of states -> top states and last steps).
Then the cell's whole test cell (visible and hidden tests) runs in a fresh namespace in this
process: every graft must fail it. The answer and test cells are read from the notebook, so the
test follows the exercises as they change.

As a control, each answer cell's own solution, grafted the same way, must keep its points.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import signal
import warnings
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from nbgrader_course import answer_code

from conftest import REPO
from rnncourse.grading.validate import is_answer, is_test

EXERCISES = ["ex1-forward", "ex2-bptt"]
PREFIX = "_lecture_"
SECONDS = 30  # nbgrader's per-cell limit (nbgrader_config.py): a slower graft loses its points too


@dataclass(frozen=True)
class Function:
    """A function as a student could paste it: its code (renamed ``_lecture_<name>``) and what
    it needs (the lecture's imports and the lecture functions it calls, renamed alike)."""

    origin: str  # "04-unrolling-time: rnn_forward"
    name: str
    code: str
    params: tuple[tuple[str, bool], ...]  # (name, has a default); positional parameters only
    required_keywords: bool  # a keyword-only parameter without default: no graft can fill it


@dataclass(frozen=True)
class GradedCell:
    grade_id: str
    name: str  # the graded function's name
    signature: str  # its parameter list, as written in the answer cell
    params: tuple[str, ...]
    tests: str  # the source of its test cell


# --------------------------------------------------------------------------- lecture functions


def _cells(path: Path) -> list[ast.Module]:
    """The lecture's code cells as Python syntax trees (IPython magics turned into Python)."""
    trees = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "code":
            try:
                trees.append(ast.parse(TransformerManager().transform_cell(cell.source)))
            except SyntaxError:
                trees.append(ast.Module(body=[], type_ignores=[]))
    return trees


class _Rename(ast.NodeTransformer):
    def __init__(self, names: set[str]):
        self.names = names

    def visit_FunctionDef(self, node):  # noqa: N802 (ast's visitor names)
        self.generic_visit(node)
        if node.name in self.names:
            node.name = PREFIX + node.name
        return node

    def visit_Name(self, node):  # noqa: N802
        if node.id in self.names:
            node.id = PREFIX + node.id
        return node


def _called_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


_CHEAP = (
    ast.Constant,
    ast.Name,
    ast.Attribute,
    ast.Load,
    ast.BinOp,
    ast.UnaryOp,
    ast.operator,
    ast.unaryop,
    ast.Tuple,
    ast.List,
    ast.Dict,
    ast.Set,
    ast.Compare,
    ast.cmpop,
    ast.keyword,
)


def _cheap(value: ast.AST) -> bool:
    """A constant a student would paste along (``H = 8``, ``SEED = np.int64(3)``): no loops,
    no calls but to NumPy and math, so that pasting it costs nothing."""
    for node in ast.walk(value):
        if isinstance(node, ast.Call):
            func = node.func
            while isinstance(func, ast.Attribute):
                func = func.value
            if not (isinstance(func, ast.Name) and func.id in ("np", "math")):
                return False
        elif not isinstance(node, _CHEAP):
            return False
    return True


def _standalone(top: list, constant: ast.Assign, cell: int) -> bool:
    """Whether a cheap constant can be computed from NumPy, math, builtins and other such."""
    for name in _called_names(constant.value):
        if name in ("np", "math") or hasattr(builtins, name):
            continue
        found = _resolve(top, name, cell)
        if not isinstance(found, ast.Assign) or found is constant:
            return False
        if not _standalone(top, found, cell):
            return False
    return True


def _resolve(top: list, name: str, cell: int) -> ast.stmt | None:
    """The definition of ``name`` in effect in cell ``cell`` (or else the first one after)."""
    before = [stmt for i, n, stmt in top if n == name and i <= cell]
    after = [stmt for i, n, stmt in top if n == name and i > cell]
    return before[-1] if before else after[0] if after else None


def lecture_functions() -> list[Function]:
    functions = []
    for path in sorted((REPO / "lectures").glob("*.ipynb")):
        cells = _cells(path)
        imports = [
            ast.unparse(stmt)
            for tree in cells
            for stmt in tree.body
            if isinstance(stmt, ast.Import | ast.ImportFrom)
        ]
        top = []  # (cell index, name, statement): the lecture's functions and cheap constants
        for i, tree in enumerate(cells):
            for stmt in tree.body:
                if isinstance(stmt, ast.FunctionDef):
                    top.append((i, stmt.name, stmt))
                elif (
                    isinstance(stmt, ast.Assign)
                    and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)
                    and _cheap(stmt.value)
                ):
                    top.append((i, stmt.targets[0].id, stmt))
        order = {id(stmt): k for k, (_, _, stmt) in enumerate(top)}

        for index, tree in enumerate(cells):
            for node in ast.walk(tree):
                if not isinstance(node, ast.FunctionDef):
                    continue
                needed, queue = {}, [node]
                while queue:  # the lecture functions and constants it uses, and theirs
                    for used in sorted(_called_names(queue.pop())):
                        found = _resolve(top, used, index)
                        if isinstance(found, ast.Assign) and not _standalone(top, found, index):
                            continue  # a constant made from the lecture's data: not pasted
                        if found is not None and used not in needed and found is not node:
                            needed[used] = found
                            queue.append(found)
                functions_used = {
                    n for n, stmt in needed.items() if isinstance(stmt, ast.FunctionDef)
                }
                rename = _Rename({*functions_used, node.name})
                pasted = sorted(needed.values(), key=lambda stmt: order[id(stmt)])  # lecture order
                parts = [
                    ast.unparse(rename.visit(ast.parse(ast.unparse(n)))) for n in [*pasted, node]
                ]
                args = node.args
                positional = [*args.posonlyargs, *args.args]
                defaults = [False] * (len(positional) - len(args.defaults)) + [True] * len(
                    args.defaults
                )
                functions.append(
                    Function(
                        origin=f"{path.stem}: {node.name}",
                        name=node.name,
                        code="\n".join([*dict.fromkeys(imports), *parts]),
                        params=tuple((a.arg, d) for a, d in zip(positional, defaults, strict=True)),
                        required_keywords=any(d is None for d in args.kw_defaults),
                    )
                )
    return functions


# --------------------------------------------------------------------------- graded cells


def graded_cells(nb) -> list[GradedCell]:
    tests = {c.metadata.nbgrader["grade_id"]: c.source for c in nb.cells if is_test(c)}
    cells = []
    for cell in nb.cells:
        if not is_answer(cell):
            continue
        gid = cell.metadata.nbgrader["grade_id"]
        defs = [s for s in ast.parse(answer_code(cell)).body if isinstance(s, ast.FunctionDef)]
        wanted = gid.replace("-", "_")
        graded = next((d for d in defs if d.name == wanted), defs[-1])
        params = tuple(a.arg for a in [*graded.args.posonlyargs, *graded.args.args])
        cells.append(
            GradedCell(gid, graded.name, ast.unparse(graded.args), params, tests[f"{gid}-tests"])
        )
    return cells


def calls(fn: Function, cell: GradedCell) -> list[str]:
    """The ways to call ``fn`` from inside the graded signature: by name, then by position
    (the lecture's own defaults kept, or filled too). Empty when the arguments cannot fit."""
    free = [p for p in cell.params if p not in dict(fn.params)]
    ways = set()
    for fill_defaults in (False, True):
        left, args = list(free), []
        for name, has_default in fn.params:
            if name in cell.params:
                args.append(f"{name}={name}")
            elif left and (fill_defaults or not has_default):
                args.append(f"{name}={left.pop(0)}")
            elif not has_default:
                return []
        ways.add(", ".join(args))
    return [] if fn.required_keywords else sorted(ways)


ADAPT = """
def _as_a_student_would(value):  # _ADAPTED: a list that keeps_points puts in the namespace
    import numpy as np
    if isinstance(value, np.ndarray) and value.ndim == 3:  # hs -> (hs, h_last)
        _ADAPTED.append(True)
        return value, value[:, -1]
    if isinstance(value, list) and value and all(
        isinstance(v, np.ndarray) and v.ndim == 3 for v in value
    ):  # every layer's hs -> (top hs, [h_last of each layer])
        _ADAPTED.append(True)
        return value[-1], [v[:, -1] for v in value]
    return value
"""


def grafts(fn: Function, cell: GradedCell) -> list[tuple[str, str, str]]:
    """(label, adapted answer, plain answer) for every way ``fn`` can stand in for ``cell``'s
    function: the answer cell's source with the result adapted as a student would, and as is."""
    out = []
    for arguments in calls(fn, cell):
        call = f"{PREFIX}{fn.name}({arguments})"
        head = f"{fn.code}\n{ADAPT}\n\ndef {cell.name}({cell.signature}):\n"
        out.append(
            (
                f"{fn.origin}({arguments})",
                f"{head}    return _as_a_student_would({call})\n",
                f"{head}    return {call}\n",
            )
        )
    return out


# --------------------------------------------------------------------------- running


class _TooSlow(Exception):
    pass


def _alarm(signum, frame):
    raise _TooSlow


def keeps_points(namespace: dict, answer: str, tests: str, adapted: list | None = None) -> bool:
    """Whether the test cell passes with ``answer`` in place of the answer cell.

    ``adapted`` (a list) receives the graft's record of whether its adapter changed a result.
    """
    import matplotlib.pyplot as plt

    ns = dict(namespace, _ADAPTED=adapted if adapted is not None else [])
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, SECONDS)
    try:
        with (
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()),
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")
            exec(compile(answer, "<graft>", "exec"), ns)
            exec(compile(tests, "<tests>", "exec"), ns)
    except BaseException as exc:  # noqa: BLE001  (a failing test cell, or a graft gone wild)
        if isinstance(exc, KeyboardInterrupt):
            raise
        return False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        plt.close("all")
    return True


def reference_namespace(nb) -> dict:
    """The notebook run with its own solutions, up to its last test cell (tests not run)."""
    last = max(i for i, c in enumerate(nb.cells) if is_test(c))
    namespace: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in nb.cells[:last]:
            if cell.cell_type == "code" and not is_test(cell):
                exec(answer_code(cell) if is_answer(cell) else cell.source, namespace)
    return namespace


@pytest.fixture(scope="module")
def functions() -> list[Function]:
    return lecture_functions()


def test_the_lectures_define_the_functions_the_exercises_go_beyond(functions):
    names = {f.name for f in functions}
    assert {"ewma", "rnn_forward", "deep_rnn_forward", "count_parameters", "rnn_backward"} <= names


@pytest.mark.slow
@pytest.mark.parametrize("exercise", EXERCISES)
def test_no_lecture_function_grafted_into_a_graded_cell_keeps_its_points(
    exercise, functions, record_property
):
    nb = nbformat.read(REPO / "source" / exercise / f"{exercise}.ipynb", as_version=4)
    namespace = reference_namespace(nb)
    kept, tried = [], 0
    for cell in graded_cells(nb):
        for fn in functions:
            for label, adapted, plain in grafts(fn, cell):
                changed: list = []
                tried += 1
                if keeps_points(namespace, adapted, cell.tests, changed):
                    kept.append(f"{label}, adapted, keeps the points of {cell.grade_id}-tests")
                if changed:  # otherwise the plain graft behaves exactly the same
                    tried += 1
                    if keeps_points(namespace, plain, cell.tests):
                        kept.append(f"{label} keeps the points of {cell.grade_id}-tests")
    record_property("grafts", tried)
    assert tried > 100
    assert not kept, "\n".join(kept)


@pytest.mark.slow
@pytest.mark.parametrize("exercise", EXERCISES)
def test_a_graft_of_the_solution_itself_keeps_its_points(exercise):
    """The control: the grafting machinery can let a graft pass, so failing grafts mean something."""
    nb = nbformat.read(REPO / "source" / exercise / f"{exercise}.ipynb", as_version=4)
    namespace = reference_namespace(nb)
    for cell, source in zip(graded_cells(nb), (c for c in nb.cells if is_answer(c)), strict=True):
        tree = ast.parse(answer_code(source))
        node = next(s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name == cell.name)
        helpers = [ast.unparse(s) for s in tree.body if s is not node]
        fn = Function(
            origin=f"solution: {cell.name}",
            name=cell.name,
            code="\n".join(
                ["import numpy as np", *helpers, ast.unparse(_Rename({cell.name}).visit(node))]
            ),
            params=tuple((p, False) for p in cell.params),
            required_keywords=False,
        )
        answers = grafts(fn, cell)
        assert answers, cell.grade_id
        assert keeps_points(namespace, answers[0][2], cell.tests), cell.grade_id
