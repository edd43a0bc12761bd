"""Notice a submission that tampers with its own grading, so that an instructor looks at it.

A notebook runs its tests in the student's own kernel, so student code could make the tests pass
without doing the work: replace ``numpy.allclose`` or the course's ``checks``, silence
``showtraceback`` so errors vanish, return objects whose ``==`` always says yes, read the hidden
tests' variables from the caller's frame… nbgrader already undoes some of this (locked cells are
restored, an error that leaves no traceback still costs the points), and the course's checks
reject impostor objects. What remains is found in two ways, and either one *flags* a submission
(its computed score is kept; the instructor decides):

* :func:`scan` reads the source of the cells the student controls (answer cells and any cell they
  added), with IPython's magics translated to Python, and reports what no honest answer to these
  exercises needs: assigning attributes of imported modules (``np.allclose = …``), ``setattr``
  on a module, classes that define ``__eq__`` or NumPy's array hooks, IPython's shell internals
  (``showtraceback``, ``set_custom_exc``, ``ast_transformers``…), frame and tracing access
  (``sys._getframe``, ``inspect``, ``gc``, ``ctypes``…), ``exec``/``eval`` and shell escapes.
* :class:`Watch` runs inside the kernel. The grader inserts :func:`baseline_cell` before the first
  cell: it records the objects the tests rely on (every function of NumPy, ``builtins``, ``math``,
  the course's ``checks`` modules, IPython's shell classes, ``sys.stdout`` …) and
  compares them after every cell (an IPython ``post_run_cell`` callback). :func:`probe_cell`,
  appended after the last cell, adds what only the end state shows (classes with a fake ``==``,
  background threads, the callback switched off) and prints one JSON line tagged with a secret
  nonce. The grader reads it with :func:`read_report` and removes both cells before the notebook
  is saved, so feedback never shows them. No report at all is itself a finding.

Neither is a sandbox: a determined student who reads this module can still hide from it. They
raise the bar, and the instructor sees every finding in words in ``grades.csv``.
"""

from __future__ import annotations

import ast
import json
import sys

#: Modules whose attributes the tests rely on; replacing one of them is tampering. (``numpy.testing``
#: is left to the static scan: the tests do not use it, and importing it costs every kernel 50 ms.)
WATCHED_MODULES = (
    "builtins",
    "numpy",
    "numpy.linalg",
    "math",
    "rnncourse.grading",
    "rnncourse.grading.checks",
    "rnncourse.grading.checks_bptt",
)
#: Modules no answer to these exercises imports; importing one is reported.
SUSPICIOUS_IMPORTS = (
    "builtins",
    "ctypes",
    "gc",
    "inspect",
    "importlib",
    "unittest.mock",
    "mock",
    "IPython",
    "ipykernel",
    "nbgrader",
    "nbclient",
    "nbformat",
    "signal",
    "atexit",
    "threading",
    "multiprocessing",
    "subprocess",
    "pty",
    "faulthandler",
)  # (importing rnncourse.grading is fine: a student may run the checks; changing them is not)
#: Packages whose objects the tests use: changing an attribute of one of them is tampering.
WATCHED_PACKAGES = {"numpy", "builtins", "sys", "IPython", "rnncourse", "math"}
#: Methods that make an object pass for something it is not.
FAKE_DUNDERS = (
    "__eq__",
    "__ne__",
    "__array__",
    "__array_ufunc__",
    "__array_function__",
    "__array_priority__",
    "__array_interface__",
    "__array_wrap__",
    "__instancecheck__",
    "__subclasscheck__",
    "__class__",
    "__getattribute__",
)
#: Attributes of the shell, sys and frames that only tampering touches.
SUSPICIOUS_ATTRIBUTES = {
    "showtraceback": "IPython's showtraceback",
    "_showtraceback": "IPython's showtraceback",
    "showsyntaxerror": "IPython's showsyntaxerror",
    "set_custom_exc": "IPython's custom exception handler",
    "custom_exceptions": "IPython's custom exception handler",
    "CustomTB": "IPython's custom exception handler",
    "run_cell": "IPython's run_cell",
    "run_cell_async": "IPython's run_cell",
    "run_ast_nodes": "IPython's run_ast_nodes",
    "run_code": "IPython's run_code",
    "ast_transformers": "IPython's AST transformers",
    "input_transformers_post": "IPython's input transformers",
    "input_transformers_cleanup": "IPython's input transformers",
    "input_transformer_manager": "IPython's input transformers",
    "displayhook": "the display hook",
    "excepthook": "the exception hook",
    "settrace": "tracing (sys.settrace)",
    "setprofile": "profiling hooks (sys.setprofile)",
    "_getframe": "the caller's frames (sys._getframe)",
    "f_back": "the caller's frames",
    "f_locals": "a frame's variables",
    "f_globals": "a frame's variables",
    "tb_frame": "a traceback's frames",
    "__subclasses__": "the class hierarchy (__subclasses__)",
    "__builtins__": "the builtins",
    "modules": None,  # only as sys.modules, see _Scanner.visit_Attribute
    "events": None,  # only as get_ipython().events
}
SUSPICIOUS_CALLS = {
    "exec": "runs code built at run time (exec)",
    "eval": "runs code built at run time (eval)",
    "compile": "compiles code at run time (compile)",
    "__import__": "imports modules by name at run time (__import__)",
    "setattr": None,  # only on a module, see _Scanner.visit_Call
    "delattr": None,
}
#: Magics that change how the kernel runs or reports.
SUSPICIOUS_MAGICS = {"load_ext", "reload_ext", "config", "xmode", "run", "alias", "alias_magic"}

PROBE_MARK = "rnncourse-grader-probe"
#: Attributes the kernel itself replaces for every cell it runs (ipykernel's stdin forwarding).
KERNEL_MANAGED = {"builtins": {"input", "raw_input"}, "getpass": {"getpass"}}


# --------------------------------------------------------------------------- static scan


def scan(cells: list[tuple[str, str]]) -> list[str]:
    """Findings in the student's code: ``cells`` is a list of (label, source), e.g. ("cell 5", …).

    Cells that are not valid Python (after translating magics) are skipped: they fail on their own.
    """
    found: list[str] = []
    for label, source in cells:
        tree = _parse(source)
        if tree is None:
            continue
        scanner = _Scanner()
        scanner.visit(tree)
        for what in scanner.found:
            text = f"{label}: {what}"
            if text not in found:
                found.append(text)
    return found


def _parse(source: str) -> ast.Module | None:
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        python = TransformerManager().transform_cell(source)
    except Exception:  # a cell IPython cannot even tokenise fails on its own when it runs
        python = source
    try:
        return ast.parse(python)
    except (SyntaxError, ValueError):
        return None


def _root(node: ast.AST) -> ast.AST:
    """The object an attribute chain starts from: ``np`` in ``np.testing.assert_allclose``."""
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node


def _dotted(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:
        return "?"


def _is_get_ipython(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "get_ipython"
    )


class _Scanner(ast.NodeVisitor):
    def __init__(self):
        self.found: list[str] = []
        # names bound to the watched packages: the usual ones, plus whatever the cell imports
        self.modules: set[str] = {"np", "numpy", "sys", "builtins", "IPython", "checks", "math"}

    def add(self, text: str) -> None:
        if text not in self.found:
            self.found.append(text)

    # imports -----------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] in WATCHED_PACKAGES:
                self.modules.add(alias.asname or alias.name.split(".")[0])
            self._check_import(alias.name)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        self._check_import(module)
        for alias in node.names:
            if module.split(".")[0] in WATCHED_PACKAGES:
                self.modules.add(alias.asname or alias.name)
            self._check_import(f"{module}.{alias.name}")
        self.generic_visit(node)

    def _check_import(self, name: str) -> None:
        for bad in SUSPICIOUS_IMPORTS:
            if name == bad or name.startswith(bad + "."):
                self.add(f"imports {bad}")

    # changing modules and the shell --------------------------------------------------------
    def _check_target(self, target: ast.AST, verb: str) -> None:
        if isinstance(target, ast.Tuple | ast.List):
            for item in target.elts:
                self._check_target(item, verb)
            return
        if isinstance(target, ast.Starred):
            self._check_target(target.value, verb)
            return
        if not isinstance(target, ast.Attribute | ast.Subscript):
            if isinstance(target, ast.Name) and target.id == "__builtins__":
                self.add(f"{verb} __builtins__")
            return
        root = _root(target)
        if isinstance(target, ast.Attribute) and target.attr in FAKE_DUNDERS:
            self.add(f"{verb} {_dotted(target)} (fakes comparisons)")
        elif isinstance(root, ast.Name) and root.id in self.modules | {"__builtins__"}:
            self.add(f"{verb} {_dotted(target)} (changes a module the tests use)")
        elif _is_get_ipython(root):
            self.add(f"{verb} {_dotted(target)} (changes the IPython shell)")

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._check_target(target, "assigns")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._check_target(node.target, "assigns")
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._check_target(node.target, "assigns")
        self.generic_visit(node)

    def visit_Delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self._check_target(target, "deletes")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Name) and func.id in SUSPICIOUS_CALLS:
            if func.id in ("setattr", "delattr"):
                first = node.args[0] if node.args else None
                root = _root(first) if first is not None else None
                if (isinstance(root, ast.Name) and root.id in self.modules) or (
                    root is not None and _is_get_ipython(root)
                ):
                    self.add(f"calls {func.id} on {_dotted(first)} (changes a module or the shell)")
            else:
                self.add(SUSPICIOUS_CALLS[func.id])
        if isinstance(func, ast.Attribute) and _is_get_ipython(func.value):
            magic = node.args[0] if node.args else None
            name = magic.value if isinstance(magic, ast.Constant) else None
            if func.attr in ("run_line_magic", "run_cell_magic") and name in SUSPICIOUS_MAGICS:
                self.add(f"uses the magic %{name}")
            elif func.attr in ("system", "getoutput"):
                self.add("runs shell commands (!)")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        why = SUSPICIOUS_ATTRIBUTES.get(node.attr, "")
        root = _root(node)
        if node.attr == "modules":
            if isinstance(root, ast.Name) and root.id == "sys":
                self.add("uses sys.modules")
        elif node.attr == "events":
            if _is_get_ipython(root):
                self.add("uses IPython's event callbacks")
        elif why:
            self.add(f"uses {why} ({_dotted(node)})")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id == "__builtins__":
            self.add("uses __builtins__")
        self.generic_visit(node)

    # faking values -------------------------------------------------------------------------
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        defined = []
        for item in node.body:
            names = []
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                names = [item.name]
            elif isinstance(item, ast.Assign):
                names = [t.id for t in item.targets if isinstance(t, ast.Name)]
            defined += [name for name in names if name in FAKE_DUNDERS]
        bases = [_dotted(b) for b in node.bases]
        bases = [
            b for b in bases if b.endswith("ndarray") or b in ("float", "int", "list", "tuple")
        ]
        if defined or bases:
            what = ", ".join(defined + [f"subclasses {b}" for b in bases])
            self.add(f"class {node.name} {'defines ' if defined else ''}{what} (fakes results)")
        self.generic_visit(node)


# --------------------------------------------------------------------------- run-time watch


def baseline_cell(nonce: str, workdir: str) -> str:
    """Source of the cell the grader runs first, before any student code."""
    return (
        f"import rnncourse.grading.tamper as _rnncourse_tamper\n"
        f"_rnncourse_tamper.Watch.install({nonce!r}, {workdir!r})\n"
        f"del _rnncourse_tamper\n"
    )


def probe_cell(nonce: str) -> str:
    """Source of the cell the grader runs last: print the watch's report as one JSON line."""
    return f"__import__('sys').modules['_rnncourse_watch_{nonce}'].report()\n"


def read_report(outputs: list, nonce: str) -> list[tuple[str, int | None]] | None:
    """The findings printed by the probe cell (``None``: the probe did not report).

    Each finding is (what, n): found after the n-th cell the kernel ran (the grader's own first
    cell is number 1), or ``None`` when only the end state showed it.
    """
    tag = f"{PROBE_MARK} {nonce} "
    for output in outputs:
        if output.get("output_type") != "stream":
            continue
        for line in output.get("text", "").splitlines():
            if line.startswith(tag):
                try:
                    data = json.loads(line[len(tag) :])
                except ValueError:
                    return None
                try:
                    return [(str(text), None if n is None else int(n)) for text, n in data["found"]]
                except (KeyError, TypeError, ValueError):
                    return None
    return None


class Watch:
    """Runs in the kernel: records what the tests rely on, then notices changes after each cell."""

    def __init__(self, nonce: str):
        import importlib
        import threading

        import IPython

        self.nonce = nonce
        self.shell = IPython.get_ipython()
        self.modules = {}
        for name in WATCHED_MODULES:
            try:
                self.modules[name] = importlib.import_module(name)
            except Exception:  # e.g. checks_bptt in a course without it
                continue
        self.classes = [IPython.core.interactiveshell.InteractiveShell]
        if self.shell is not None:
            self.classes += [
                c
                for c in type(self.shell).__mro__
                if c.__module__.startswith(("IPython.", "ipykernel.")) and c not in self.classes
            ]
        # kept so that the report still works if the student replaces them
        self._write = sys.stdout.write
        self._flush = sys.stdout.flush
        self._dumps = json.dumps
        self._threading = threading
        self.cells_seen = 0
        self.found: dict[str, int] = {}
        self.snapshot = None

    # -- installing ---------------------------------------------------------------------------
    @classmethod
    def install(cls, nonce: str, workdir: str) -> Watch:
        """Set the kernel up for grading and start watching (called by :func:`baseline_cell`)."""
        import os
        import types

        os.chdir(workdir)  # the kernel was started ahead of time, elsewhere
        watch = cls(nonce)
        holder = types.ModuleType(f"_rnncourse_watch_{nonce}")
        holder.report = watch.report
        sys.modules[holder.__name__] = holder
        if watch.shell is not None:
            watch.shell.events.register("post_run_cell", watch.after_cell)
        return watch

    def take_snapshot(self) -> dict:
        shell = self.shell
        snap = {
            "modules": {
                name: {
                    k: v
                    for k, v in vars(m).items()
                    if not k.startswith("__") and k not in KERNEL_MANAGED.get(name, ())
                }
                for name, m in self.modules.items()
            },
            "sys.modules": {name: sys.modules.get(name) for name in self.modules},
            "classes": {c: dict(vars(c)) for c in self.classes},
            "sys": self.sys_hooks(),
            "lists": {
                "sys.meta_path": list(sys.meta_path),
                "sys.path_hooks": list(sys.path_hooks),
            },
        }
        if shell is not None:
            snap["lists"].update(
                {
                    "IPython's AST transformers": list(shell.ast_transformers),
                    "IPython's input transformers": list(shell.input_transformers_post),
                    "IPython's input clean-up": list(shell.input_transformers_cleanup),
                }
            )
            for event, callbacks in shell.events.callbacks.items():
                snap["lists"][f"IPython's {event} callbacks"] = list(callbacks)
            snap["shell"] = {
                "custom exception handler": shell.custom_exceptions,
                "instance": set(vars(shell)),
            }
        snap["threads"] = {t.ident for t in self._threading.enumerate()}
        return snap

    @staticmethod
    def sys_hooks() -> dict:
        """The interpreter hooks a notebook could swap to hide what its cells do."""
        return {
            "sys.stdout": sys.stdout,
            "sys.stderr": sys.stderr,
            "sys.displayhook": sys.displayhook,
            "sys.excepthook": sys.excepthook,
            "sys.settrace": sys.gettrace(),
            "sys.setprofile": sys.getprofile(),
        }

    # -- checking -------------------------------------------------------------------------------
    def after_cell(self, result=None) -> None:
        """post_run_cell callback: compare with the snapshot; never raises, never prints."""
        try:
            self.cells_seen += 1
            if self.snapshot is None:  # right after the baseline cell, outside any cell
                self.snapshot = self.take_snapshot()
                return
            for text in self.differences():
                self.found.setdefault(text, self.cells_seen)
        except BaseException as exc:  # noqa: BLE001 - a broken watch is itself a finding
            self.found.setdefault(f"the grader's watch failed ({type(exc).__name__})", 0)

    def differences(self) -> list[str]:
        snap, out = self.snapshot, []
        for name, module in self.modules.items():
            now = vars(module)
            for key, value in snap["modules"][name].items():
                if now.get(key, _MISSING) is not value:
                    out.append(f"{name}.{key} was replaced or deleted")
            if sys.modules.get(name) is not snap["sys.modules"][name]:
                out.append(f"sys.modules[{name!r}] was replaced")
        for cls, members in snap["classes"].items():
            now = vars(cls)
            for key, value in members.items():
                if now.get(key, _MISSING) is not value:
                    out.append(f"IPython's {cls.__name__}.{key} was replaced")
        current = self.sys_hooks()
        for key, value in snap["sys"].items():
            if current[key] is not value:
                out.append(f"{key} was replaced")
        shell = self.shell
        lists = {"sys.meta_path": sys.meta_path, "sys.path_hooks": sys.path_hooks}
        if shell is not None:
            lists.update(
                {
                    "IPython's AST transformers": shell.ast_transformers,
                    "IPython's input transformers": shell.input_transformers_post,
                    "IPython's input clean-up": shell.input_transformers_cleanup,
                }
            )
            for event, callbacks in shell.events.callbacks.items():
                lists[f"IPython's {event} callbacks"] = callbacks
        for key, old in snap["lists"].items():
            new = lists.get(key, [])
            if len(new) != len(old) or any(a is not b for a, b in zip(new, old, strict=False)):
                out.append(f"{key} were changed")
        if shell is not None:
            if shell.custom_exceptions != snap["shell"]["custom exception handler"]:
                out.append("IPython's custom exception handler was set")
            for key in set(vars(shell)) - snap["shell"]["instance"]:
                if any(key in vars(c) for c in self.classes):
                    out.append(f"get_ipython().{key} was overridden")
            for value in list(shell.user_ns.values()):
                if isinstance(value, type):
                    bad = self.fake_members(value)
                    if bad:
                        out.append(f"class {value.__qualname__} defines {', '.join(bad)}")
        return out

    @staticmethod
    def fake_members(cls: type) -> list[str]:
        """The equality and array hooks a class defined in the notebook adds (dataclasses aside)."""
        if getattr(cls, "__module__", None) != "__main__" or "__dataclass_fields__" in vars(cls):
            return []
        members = [name for name in FAKE_DUNDERS if name in vars(cls)]
        try:
            import numpy

            if issubclass(cls, numpy.ndarray):
                members.append("a subclass of numpy.ndarray")
        except Exception:
            pass
        return members

    def final_differences(self) -> list[str]:
        """What only the end state shows: impostor classes anywhere, extra threads, lost watch."""
        import gc

        out = []
        if self.shell is not None:
            expected = self.shell.execution_count - 1  # every cell ran after_cell, this one not yet
            if self.snapshot is None or self.cells_seen < expected - 1:
                out.append("the grader's per-cell checks were switched off")
        for obj in gc.get_objects():
            if isinstance(obj, type):
                bad = self.fake_members(obj)
                if bad:
                    out.append(f"class {obj.__qualname__} defines {', '.join(bad)}")
        if self.snapshot is not None:
            new = [
                t
                for t in self._threading.enumerate()
                if t.ident not in self.snapshot["threads"] and t.is_alive() and _students(t)
            ]
            if new:
                out.append(f"{len(new)} background thread(s) of the notebook still running")
        return out

    def report(self) -> None:
        """Print the findings as one JSON line tagged with the nonce (called by the probe cell)."""
        try:
            found = [
                [text, n] for text, n in sorted(self.found.items(), key=lambda i: (i[1], i[0]))
            ]
            found += [[text, None] for text in self.final_differences() if text not in self.found]
        except BaseException as exc:  # noqa: BLE001
            found = [[f"the grader's probe failed ({type(exc).__name__})", None]]
        self._write(f"{PROBE_MARK} {self.nonce} {self._dumps({'found': found})}\n")
        self._flush()


def _students(thread) -> bool:
    """Whether a thread runs the notebook's code (zmq and ipykernel start their own lazily)."""
    if type(thread).__module__ == "__main__":
        return True
    if type(thread).__module__ != "threading":
        return False
    target = getattr(thread, "_target", None) or getattr(thread, "function", None)
    return getattr(target, "__module__", "__main__") in ("__main__", None)


_MISSING = object()
