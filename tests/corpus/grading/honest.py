"""Honest work, as students really hand it in: every notebook here deserves full marks, no flag.

Each notebook answers every part correctly (the worked solution, or one of the exercise's own
``correct_*.py`` implementations, in turn) and adds what honest students add: prints, warnings,
plots, widgets, progress bars, extra and failing scratch cells, float32 experiments, a kernel
restarted half-way, and the metadata JupyterLab or VS Code write when they save.
"""

from __future__ import annotations

import ast
import base64
import copy

import nbformat
from corpus.grading.exercise import Exercise, gid

PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()


def _after(nb, answer: str, *cells) -> None:
    """Insert ``cells`` right after the test cell of ``answer``."""
    index = next(i for i, c in enumerate(nb.cells) if gid(c) == f"{answer}-tests")
    nb.cells[index + 1 : index + 1] = list(cells)


def _wrap(source: str, line: str) -> str:
    """``source`` with every function it defines wrapped to run ``line`` first (name: {name})."""
    names = [n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)]
    wrappers = [
        f"""
import functools as _functools


@_functools.wraps({name})
def {name}(*args, _inner={name}, **kwargs):
    {line.format(name=name)}
    return _inner(*args, **kwargs)
"""
        for name in names
    ]
    return source + "\n" + "\n".join(wrappers)


def _in_answers(ex: Exercise, nb, line: str, imports: str = "") -> None:
    for cell in nb.cells:
        if gid(cell) in ex.answers:
            cell.source = imports + _wrap(cell.source, line)


def code(source: str):
    return nbformat.v4.new_code_cell(source)


def markdown(source: str):
    return nbformat.v4.new_markdown_cell(source)


# --------------------------------------------------------------------------- the styles


def saved_by_jupyterlab(ex, nb):
    """Restart & Run All, then saved: counts in order, outputs (a picture too), lab metadata."""
    count = 0
    for cell in nb.cells:
        cell.metadata["trusted"] = True
        if cell.cell_type == "code":
            count += 1
            cell.execution_count = count
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ok\n")]
            cell.metadata["execution"] = {"iopub.status.busy": "2025-03-01T10:00:00.000Z"}
    last = [c for c in nb.cells if c.cell_type == "code"][-1]
    last.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"})
    ]
    nb.metadata["widgets"] = {
        "application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2}
    }
    return nb


def prints(ex, nb):
    """Prints everywhere: in every function (while the tests call it) and at the top level."""
    _in_answers(ex, nb, 'print("{name} called with", len(args), "arguments")')
    for answer in ex.answers:
        _after(nb, answer, code(f'print("done with {answer}")\nprint("x" * 500)'))
    return nb


def warnings_(ex, nb):
    """Warnings: from the student's functions, from NumPy at the top level, and deprecations."""
    _in_answers(ex, nb, 'warnings.warn("{name} is slow", stacklevel=2)', "import warnings\n\n")
    _after(nb, ex.first, code("import numpy as np\nnp.log(0.0)\nnp.array([1.0]) / 0"))
    _after(nb, ex.target, code('import warnings\nwarnings.warn("old", DeprecationWarning)'))
    return nb


def plots(ex, nb):
    """Inline plots after every part, made with matplotlib as the lectures do."""
    nb.cells.insert(
        0, code("%matplotlib inline\nimport matplotlib.pyplot as plt\nimport numpy as np")
    )
    for answer in ex.answers:
        _after(
            nb,
            answer,
            code(
                "fig, ax = plt.subplots(figsize=(4, 3))\n"
                "ax.plot(np.cumsum(np.random.default_rng(0).normal(size=50)), label='a walk')\n"
                f"ax.set(title='{answer}', xlabel='t (steps)', ylabel='value')\nax.legend()\nplt.show()"
            ),
        )
    return nb


def widgets(ex, nb):
    """Sliders: ipywidgets' interact and a displayed widget, as in the lectures."""
    _after(
        nb,
        ex.first,
        code(
            "import ipywidgets as widgets\nfrom IPython.display import display\n\n"
            "widgets.interact(lambda k=3: k * k, k=(0, 10))\n"
            'display(widgets.IntSlider(value=5, description="steps"))'
        ),
    )
    return nb


def progress_bars(ex, nb):
    """tqdm progress bars, at the top level and inside the last part's functions."""
    imports = "from tqdm.auto import tqdm\n\n"
    for cell in nb.cells:
        if gid(cell) == ex.target:
            cell.source = imports + _wrap(
                cell.source, "for _ in tqdm(range(3), leave=False):\n        pass"
            )
    _after(
        nb,
        ex.first,
        code(imports + "total = 0\nfor i in tqdm(range(1000)):\n    total += i\nprint(total)"),
    )
    return nb


def scratch_and_restart(ex, nb):
    """Extra cells: notes, magics, a shell command, and scratch cells run out of order, one of
    them failing (the kernel was restarted between them)."""
    _after(
        nb,
        ex.first,
        markdown("My notes: *remember the padding*."),
        code("%%time\nsum(range(10**5))"),
    )
    _after(
        nb,
        ex.first,
        code("!echo hello from the shell"),
        code("%whos"),
        code("leftover_from_before_restart"),
    )
    counts = [12, None, 3, 7, 1, None, 5]
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = counts[i % len(counts)]
    return nb


def float32(ex, nb):
    """float32 experiments with the student's own functions, after the answers."""
    first = ex.functions[0]
    _after(
        nb,
        ex.target,
        code(
            "import numpy as np\n"
            "x32 = np.random.default_rng(0).normal(size=(2, 3, 4)).astype(np.float32)\n"
            f"try:\n    print({first}(x32))\nexcept Exception as exc:\n    print('not for this one:', exc)"
        ),
    )
    return nb


def saved_by_vscode(ex, nb):
    """VS Code's metadata: another kernel name and display name, an interpreter hash, cell ids."""
    nb.metadata["kernelspec"] = {
        "display_name": "Python 3.11.7 ('.venv': venv)",
        "language": "python",
        "name": "python3",
    }
    nb.metadata["language_info"] = {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
        "version": "3.11.7",
    }
    nb.metadata["vscode"] = {"interpreter": {"hash": "0" * 64}}
    for cell in nb.cells:
        cell.metadata.setdefault("tags", [])
    return nb


STYLES = [
    saved_by_jupyterlab,
    prints,
    warnings_,
    plots,
    widgets,
    progress_bars,
    scratch_and_restart,
    float32,
    saved_by_vscode,
]


def notebooks(ex: Exercise) -> dict[str, bytes]:
    """student id -> notebook: the worked solution, then one per style (full marks each)."""
    from corpus.grading.exercise import dump

    implementations = [
        impl for impl in ex.correct_implementations() if set(impl.cells) <= set(ex.answers)
    ] or [None]
    out = {"honest-solution": dump(ex.solved)}
    for i, style in enumerate(STYLES):
        impl = implementations[i % len(implementations)]
        nb = ex.answered(**(impl.cells if impl is not None else {}))
        nb = style(ex, copy.deepcopy(nb))
        name = style.__name__.rstrip("_").replace("_", "-")
        out[f"honest-{name}"] = dump(nb)
    return out
