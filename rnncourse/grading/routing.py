"""Run each cell of a submission where it belongs: tests in the trusted kernel, the rest in the sandbox.

nbgrader's ``Execute`` runs every cell of a notebook in one kernel. :class:`RoutedExecute`, which
takes its place among the autograde steps, runs

* each graded test cell of the assignment, recognised by its ``grade_id`` *and* by a source that
  is exactly the instructor's (nbgrader has put it back), in the worker's trusted kernel, after
  binding there every name the cell reads from the student's notebook
  (:func:`rnncourse.grading.trusted.bind`);
* every other code cell (answers, the notebook's own set-up cells, cells the student added) in
  the student's sandboxed kernel, where the grader's agent is started first.

It keeps a submission gradable whatever its kernel does. A cell that runs too long is
interrupted and the notebook goes on, unless the kernel ignores the interrupt (it is then
stopped). When the kernel dies, every later code cell gets an error output, so its tests score 0,
never full marks for lack of output. A cell's output is cut at :data:`MAX_CELL_OUTPUT`
characters while it arrives. Execution counts are renumbered in notebook order at the end.
"""

from __future__ import annotations

import builtins
import signal
import symtable
import time
from dataclasses import dataclass, field
from functools import lru_cache

import nbformat
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbgrader.preprocessors import Execute
from traitlets import Bool

from rnncourse.grading import internals
from rnncourse.grading.wire import IDENTIFIER

#: Characters of output one cell may produce while it runs; the rest is dropped as it arrives.
MAX_CELL_OUTPUT = 100_000
#: ... and all of a student's cells together.
MAX_NOTEBOOK_OUTPUT = 1_000_000
#: Seconds a kernel has to become idle after it was interrupted, before it is stopped.
GRACE = 5.0
#: Names a test cell finds in its own kernel, never in the student's notebook.
KERNEL_NAMES = frozenset(dir(builtins)) | {"get_ipython", "display", "In", "Out", "exit", "quit"}
#: Error names that say the grader stopped a call, or found the student's kernel gone.
STOPPED, GONE = "CallTimeout", "KernelGone"


@lru_cache(maxsize=64)
def needed_names(source: str) -> tuple[str, ...]:
    """The names test cell ``source`` reads but does not define: the student's, if anyone's.

    Global names read anywhere in the cell (in functions too) and never bound at its top level,
    plus identifiers written as strings (``checks.Visible("rnn_forward", globals())``), minus
    what every kernel has (builtins, IPython's names).
    """
    table = symtable.symtable(source, "<test cell>", "exec")
    defined = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    read: set[str] = set()
    tables = [table]
    while tables:
        scope = tables.pop()
        tables.extend(scope.get_children())
        for symbol in scope.get_symbols():
            is_global = scope is table or symbol.is_global()
            if symbol.is_referenced() and is_global:
                read.add(symbol.get_name())
    import ast

    strings = {
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and IDENTIFIER.match(node.value)
    }
    return tuple(sorted((read | strings) - defined - KERNEL_NAMES))


def grade_id(cell) -> str | None:
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def label(nb, index: int) -> str:
    """``cell 5 (rnn-forward)``: a cell's position and, if it has one, its nbgrader name."""
    if not 0 <= index < len(nb.cells):
        return f"cell {index}"
    gid = grade_id(nb.cells[index])
    return f"cell {index}" + (f" ({gid})" if gid else "")


def exit_reason(box) -> str:
    """Why a student's kernel ended, in words (bubblewrap passes on its exit status)."""
    if box.out_of_memory():
        return "the kernel ran out of memory and was stopped"
    process = getattr(box.km.provisioner, "process", None) if box.km.provisioner else None
    code = process.poll() if process is not None else None
    if code is not None and code > 128 and getattr(box.km, "init_pid", 0):
        code = -(code - 128)  # 128 + N: killed by signal N
    if code is None:
        return "the kernel stopped responding"
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the kernel was killed by {name}"
    return f"the kernel exited with status {code}"


def error(cell, ename: str, text: str) -> None:
    """Give ``cell`` an error output (a test cell with one scores 0)."""
    cell.setdefault("outputs", []).append(
        nbformat.v4.new_output("error", ename=ename, evalue=text, traceback=[f"{ename}: {text}"])
    )


@dataclass
class Context:
    """What :class:`RoutedExecute` needs from its worker for the submission being graded."""

    pool: object  #: a :class:`~rnncourse.grading.kernels.SandboxPool`
    trusted: object  #: the worker's :class:`~rnncourse.grading.kernels.TrustedKernel`
    tests: dict[str, str]  #: grade_id -> the instructor's source, for every graded test cell
    outcome: object = None  #: the submission's :class:`~rnncourse.grading.worker.Outcome`
    files: dict[str, bytes] = field(default_factory=dict)  #: for the student's private folder


#: Set by the worker for the submission being graded (one at a time per process).
CONTEXT: Context | None = None


class RoutedExecute(Execute):
    """nbgrader's ``Execute``, with each cell run in the student's sandbox or the trusted kernel."""

    # A cell has finished when its reply comes; output still on its way after iopub_timeout is
    # the student's loss (a flood), not a reason to mark the cell as timed out.
    raise_on_iopub_timeout = Bool(False).tag(config=True)

    def preprocess(self, nb, resources, km=None):
        ctx = CONTEXT
        internals.start_client(self, nb, resources)
        self._output_used: dict[int, int] = {}
        self._output_total = self._running = 0
        try:
            box = ctx.pool.take()
            if not ctx.trusted.alive():
                ctx.trusted.restart()
        except Exception as exc:
            ctx.outcome.grader_failure = f"no kernel would start: {type(exc).__name__}: {exc}"[:300]
            raise
        kc = box.client()
        try:
            run_sync(kc.wait_for_ready)(timeout=self.startup_timeout)
            box.put(ctx.files)
            start = (
                f"__import__('rnncourse.grading.agent', fromlist=['_']).start({box.agent_inside!r})"
            )
            self._silent(kc, start, 30)
            ctx.trusted.call("attach", box.agent, box.pid)
            self.nb.metadata["language_info"] = ctx.trusted.language_info()
            self._run_all(ctx, box, kc)
        except Exception as exc:
            if not ctx.outcome.died:
                ctx.outcome.grader_failure = (
                    f"running the notebook failed: {type(exc).__name__}: {exc}"[:300]
                )
            raise
        finally:
            try:
                ctx.trusted.call("detach")
            except Exception:
                ctx.trusted.restart()
            kc.stop_channels()
            if box.out_of_memory() and not ctx.outcome.memory:
                ctx.outcome.memory.append(label(nb, self._running))
            box.stop()
        self._finish(nb, ctx.outcome)
        return self.nb, self.resources

    def _silent(self, kc, code: str, timeout: float) -> dict | None:
        """Run ``code`` silently in the student's kernel; its reply, or None if none came in time."""
        msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                msg = run_sync(kc.shell_channel.get_msg)(
                    timeout=max(0.01, min(1.0, end - time.monotonic()))
                )
            except Exception:  # queue.Empty: nothing yet
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]
        return None

    # ------------------------------------------------------------------ cell by cell

    def _run_all(self, ctx: Context, box, kc) -> None:
        """Every code cell in order, each where it belongs, until the student's kernel stops."""
        outcome, stopped = ctx.outcome, ""
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            self._running = index
            if stopped:
                cell.outputs, cell.execution_count = [], None
                error(cell, "NotRun", "the kernel had stopped in an earlier cell")
                continue
            gid = grade_id(cell)
            instructors = (ctx.tests.get(gid), internals.as_restored(gid, ctx.tests.get(gid, "")))
            if gid in ctx.tests and cell.source not in instructors:
                error(cell, "NotRun", "this test cell is not the assignment's, so it was not run")
                outcome.flags.append(
                    f"{label(self.nb, index)} does not hold the assignment's tests"
                )
            elif gid in ctx.tests:
                self._run_test(ctx, box, kc, cell, index)
            elif self._run_student(box, kc, cell, index) == "died":
                box.wait_for_exit()
            if not box.alive():
                stopped = outcome.died = outcome.died or exit_reason(box)
                if not any(o.get("ename") in (GONE, "KernelDied") for o in cell.get("outputs", [])):
                    error(cell, "KernelDied", f"{stopped} while this cell ran")
            elif self._timed_out(cell) and not self._settle(kc):
                box.stop()  # it ignored the interrupt: a timeout, not a crash; later cells not run
                stopped = "the kernel did not stop after the time limit"
                outcome.notes.append(
                    f"after {label(self.nb, index)} {stopped}; later cells were not run"
                )

    def _run_student(self, box, kc, cell, index: int) -> str:
        try:
            internals.run_cell_in(self, box.km, kc, cell, index)
        except DeadKernelError:
            return "died"  # the loop says why
        except CellTimeoutError:  # no reply after the interrupt: stopped by the loop
            error(cell, "CellTimeoutError", "the cell ran past the time limit")
        return "ran"

    def _run_test(self, ctx: Context, box, kc, cell, index: int) -> None:
        trusted = ctx.trusted
        reply = trusted.call(
            "bind", list(needed_names(ctx.tests[grade_id(cell)])), float(self.timeout)
        )
        if reply.get("status") != "ok":
            cell.outputs, cell.execution_count = [], None
            if reply.get("ename") == GONE or not box.alive():
                return  # the loop sees the kernel gone
            error(cell, "NotRun", "the notebook's kernel did not tell the grader what it defines")
            return
        try:
            internals.run_cell_in(self, trusted.km, trusted.kc, cell, index)
        except (DeadKernelError, CellTimeoutError) as exc:
            ctx.outcome.grader_failure = f"the grader's kernel failed in {label(self.nb, index)}"
            error(cell, type(exc).__name__, "the grader's kernel failed while this test ran")
            trusted.restart()
            trusted.call("attach", box.agent, box.pid)

    def _timed_out(self, cell) -> bool:
        return any(
            o.get("output_type") == "error" and o.get("ename") in ("CellTimeoutError", STOPPED)
            for o in cell.get("outputs", [])
        )

    def _settle(self, kc) -> bool:
        """Whether the student's kernel is idle again within :data:`GRACE` seconds of a timeout."""
        return self._silent(kc, "", GRACE) is not None

    # ------------------------------------------------------------------ output, and the end

    def output(self, outs, msg, display_id, cell_index):
        """Keep output under :data:`MAX_CELL_OUTPUT` characters per cell, and the student's cells
        under :data:`MAX_NOTEBOOK_OUTPUT` together, as it arrives.

        The first output of each kind is always kept, cut short (a stderr stream or an error
        decides a test cell's grade), so grading is unchanged; only the flood is dropped.
        """
        content = msg.get("content", {})
        size = len(str(content.get("text", ""))) + len(str(content.get("evalue", "")))
        size += sum(len(str(v)) for v in (content.get("data") or {}).values())
        size += sum(len(str(line)) for line in content.get("traceback") or [])
        used = self._output_used.get(cell_index, 0)
        self._output_used[cell_index] = used + size
        room = MAX_CELL_OUTPUT - used
        if self.km is not CONTEXT.trusted.km:  # a student's cell
            room = min(room, MAX_NOTEBOOK_OUTPUT - self._output_total)
            self._output_total += size
        if size > room:
            kind = content.get("name", msg["msg_type"])
            if any(o.get("name", o.get("output_type")) == kind for o in outs):
                if not any(o.get("rnncourse_truncated") for o in outs):
                    note = nbformat.v4.new_output(
                        "stream", name="stdout", text="\n... output truncated by the grader ...\n"
                    )
                    note["rnncourse_truncated"] = True
                    outs.append(note)
                return None
            room = max(room, 1000)
            for key in ("text", "evalue"):
                if key in content:
                    content[key] = str(content[key])[:room]
            if "traceback" in content:
                content["traceback"] = [str(line)[:room] for line in content["traceback"][:50]]
            if "data" in content:
                content["data"] = {k: str(v)[:room] for k, v in content["data"].items()}
        return super().output(outs, msg, display_id, cell_index)

    def _finish(self, nb, outcome) -> None:
        """Number the cells that ran in order, and note the cells that hit a limit."""
        count = 0
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if cell.get("execution_count") is not None:
                count += 1
                cell.execution_count = count
            for output in cell.get("outputs", []):
                output.pop("rnncourse_truncated", None)
                if output.get("output_type") != "error":
                    continue
                where = label(nb, index)
                if (
                    output.get("ename") in ("CellTimeoutError", STOPPED)
                    and where not in outcome.timeouts
                ):
                    outcome.timeouts.append(where)
                if "MemoryError" in f"{output.get('ename')} {output.get('evalue')}":
                    if where not in outcome.memory:
                        outcome.memory.append(where)
