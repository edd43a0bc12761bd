"""`make bench`: the course's speed and memory figures on this machine, each beside its goal.

    python benchmarks/run.py [--only notebooks,grading,torch] [--submissions 30] [--reps 15]
                             [--notebook-runs 3]

Parts:
  notebooks  every lecture's and solution's headless run time (fresh kernel) and the total, the
             median of 3 rounds, with the peak memory of each lecture's kernel and a machine
             reference (a fixed Python loop, timed before every notebook);
  grading    N submissions of ex1 through `python -m rnncourse grade` (workers 1, 2 and the
             default), with students' code in sandboxes and tests in a trusted kernel as always,
             and through plain `nbgrader autograde`, with the ratio, a check that the scores are
             identical, how student code was confined, and the peak memory of the grading
             process tree and of one grading worker (with its kernels and sandboxes);
  torch      the solutions' rnn_forward + rnn_backward against torch.nn.RNN forward + autograd
             backward on the CPU: same shapes and dtype, interleaved repetitions, median ratio.

Figures are printed, never asserted: a benchmark informs, the tests decide.
"""

from __future__ import annotations

import argparse
import ast
import csv
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import timeit
from pathlib import Path

import nbformat
import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # the ex1 corpus and its submission builders live there

from rnncourse import notebooks  # noqa: E402

LECTURE_GOAL_S, COURSE_GOAL_S = 10.0, 40.0
GRADER_GOAL, TORCH_GOAL = 1.8, 0.4
TORCH_SIZES = [  # (B, T, D, H, dtype)
    (32, 100, 8, 64, "float64"),
    (32, 100, 8, 64, "float32"),
    (1, 200, 1, 16, "float32"),
    (64, 50, 16, 128, "float32"),
]


def heading(text: str) -> None:
    print(f"\n{text}\n{'-' * len(text)}")


def verdict(ok: bool) -> str:
    return "meets goal" if ok else "MISSES GOAL"


# --------------------------------------------------------------------------- memory


class TreeMemory:
    """Sample the summed RSS of a process and all its descendants; remember the peak (MB).

    ``child_peak`` is the largest peak of one child's own tree: for the grader, one worker with
    the kernels it runs.
    """

    def __init__(self, pid: int, every: float = 0.05):
        import psutil

        self.root, self.every, self.peak, self.child_peak = psutil.Process(pid), every, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
                total = sum(p.memory_info().rss for p in procs if p.is_running())
                self.peak = max(self.peak, total / 2**20)
                for child in self.root.children():
                    tree = [child, *child.children(recursive=True)]
                    own = sum(p.memory_info().rss for p in tree if p.is_running())
                    self.child_peak = max(self.child_peak, own / 2**20)
            except psutil.Error:
                pass
            self._stop.wait(self.every)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# --------------------------------------------------------------------------- notebooks


PEAK_PROBE = """
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(int(line.split()[1]) / 1024)
"""


def machine_reference_ms() -> float:
    """A fixed pure-Python loop, best of 5, in ms: how fast this machine is right now.

    Shared machines run at different speeds from hour to hour, even minute to minute (here, the
    same lectures took 38 s in one hour and 53 s in another); measured before every notebook and
    printed beside the timings, it tells two runs apart.
    """
    return 1000 * min(timeit.repeat("sum(range(10**6))", number=1, repeat=5))


def _run_notebook(path: Path) -> tuple[float, float]:
    """Seconds to run ``path`` headless in a fresh kernel, and the kernel's peak memory in MB."""
    nb = notebooks.read(path)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_PROBE))  # the kernel reports its own peak
    start = time.perf_counter()
    notebooks.execute(path, nb=nb)
    return time.perf_counter() - start, float(nb.cells[-1].outputs[0]["text"])


def bench_notebooks(runs: int) -> None:
    heading(
        f"Notebooks: headless run time in a fresh kernel, median of {runs} runs "
        f"(goal: each lecture < {LECTURE_GOAL_S:.0f} s, all < {COURSE_GOAL_S:.0f} s)"
    )
    lectures = [lec.path for lec in notebooks.lectures()]
    solutions = sorted((REPO / "solutions").glob("*/*.ipynb"))
    seconds = {path: [] for path in lectures + solutions}
    peak_mb = dict.fromkeys(seconds, 0.0)
    totals, reference = [], []
    for _ in range(runs):  # whole rounds, so that a slow spell spreads over every notebook
        for path in seconds:
            reference.append(machine_reference_ms())
            s, mb = _run_notebook(path)
            seconds[path].append(s)
            peak_mb[path] = max(peak_mb[path], mb)
        totals.append(sum(seconds[path][-1] for path in lectures))
    print(f"{'notebook':<48} {'median s':>8} {'range s':>12} {'kernel peak MB':>15}")
    for path, times in seconds.items():
        median = statistics.median(times)
        flag = "" if path not in lectures or median < LECTURE_GOAL_S else "  over 10 s"
        spread = f"{min(times):.1f}-{max(times):.1f}"
        print(
            f"{str(path.relative_to(REPO)):<48} {median:8.1f} {spread:>12} {peak_mb[path]:15.0f}{flag}"
        )
    total = statistics.median(totals)
    print(
        f"{'nine lectures together':<48} {total:8.1f} {min(totals):5.1f}-{max(totals):<6.1f}"
        f" goal < {COURSE_GOAL_S:.0f} s: {verdict(total < COURSE_GOAL_S)}"
    )
    print(
        f"peak memory of a lecture kernel: {max(peak_mb[p] for p in lectures):.0f} MB (largest of the nine)"
    )
    print(
        f"machine reference: {statistics.median(reference):.1f} ms median, "
        f"{min(reference):.1f}-{max(reference):.1f} ms over the run "
        "(sum(range(10**6)), best of 5, before every notebook; lower is faster)"
    )


# --------------------------------------------------------------------------- grading


def _corpus_submissions(n: int, folder: Path) -> None:
    """Write n ex1 submissions as <student>.ipynb: every fifth untouched, the rest from the corpus."""
    import nbgrader_course as nc

    student = notebooks.read(REPO / "exercises" / "ex1-forward" / "ex1-forward.ipynb")
    source = notebooks.read(REPO / "source" / "ex1-forward" / "ex1-forward.ipynb")
    base = nc.solved(student, source)
    implementations = nc.corpus("ex1")
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        if i % 5 == 4:
            nb = student
        else:
            nb = nc.with_answers(base, implementations[i % len(implementations)].cells)
        notebooks.write(nb, folder / f"student{i:03d}.ipynb")


def _grader_run(
    assignment: str, folder: Path, out: Path, workers: int
) -> tuple[float, dict, tuple[float, float], str]:
    """Seconds, scores, peak memory (MB: whole tree, one worker) and how student code ran."""
    cmd = [sys.executable, "-m", "rnncourse", "grade", assignment, str(folder), "--out", str(out),
           "--workers", str(workers)]  # fmt: skip
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    with TreeMemory(proc.pid) as memory:
        summary = proc.communicate()[0]
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"the grader failed: {' '.join(cmd)}")
    with open(out / "grades.csv", newline="") as f:
        scores = {row["student"]: float(row["score"] or 0) for row in csv.DictReader(f)}
    how = next(
        (
            ln.strip()
            for ln in summary.splitlines()
            if ln.startswith("  confined") or ln.startswith("  UNCONFINED")
        ),
        "",
    )
    return seconds, scores, (memory.peak, memory.child_peak), how


def _plain_nbgrader(assignment: str, folder: Path, root: Path) -> tuple[float, float, dict]:
    """Seconds of `nbgrader autograde`, then of `nbgrader generate_feedback`, and the scores."""
    from rnncourse.grading.course import Course

    course = Course(root)
    course.generate_assignment(assignment)
    for path in sorted(folder.glob("*.ipynb")):
        course.submit(assignment, path.stem, {assignment: notebooks.read(path)})
    start = time.perf_counter()
    course.autograde(assignment)
    seconds = time.perf_counter() - start
    scores = {s: r.score for s, r in course.results(assignment).items()}
    start = time.perf_counter()
    course.generate_feedback(assignment)  # the grader writes feedback too: the fair comparison
    return seconds, time.perf_counter() - start, scores


def bench_grading(n: int) -> None:
    cores = os.cpu_count() or 1
    heading(f"Grading {n} submissions of ex1-forward (goal: grader >= {GRADER_GOAL}x plain "
            f"nbgrader autograde on {cores} cores, identical scores)")  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="rnn-bench-") as tmp:
        tmp = Path(tmp)
        folder = tmp / "submissions"
        _corpus_submissions(n, folder)
        plain_s, feedback_s, plain_scores = _plain_nbgrader("ex1-forward", folder, tmp / "plain")
        both = plain_s + feedback_s
        print(f"{'plain nbgrader autograde':<34} {plain_s:7.1f} s  {n / plain_s:5.2f} per s")
        print(f"{'  ... + nbgrader generate_feedback':<34} {both:7.1f} s  {n / both:5.2f} per s"
              "  (the grader's ratios below are against autograde alone)")  # fmt: skip
        for workers in sorted({1, 2, cores}):
            seconds, scores, peak, how = _grader_run(
                "ex1-forward", folder, tmp / f"w{workers}", workers
            )
            same = scores == plain_scores
            ratio = plain_s / seconds  # the goal's measure: against autograde alone
            goal = (
                ""
                if workers != cores
                else f"  goal >= {GRADER_GOAL}x: {verdict(ratio >= GRADER_GOAL)}"
            )
            print(f"{'rnncourse grade, workers = ' + str(workers):<34} {seconds:7.1f} s  "
                  f"{n / seconds:5.2f} per s  {ratio:4.2f}x ({both / seconds:4.2f}x with feedback)  "
                  f"scores identical: {same}  "
                  f"peak memory {peak[0]:.0f} MB, one worker and its kernels {peak[1]:.0f} MB"
                  f"{goal}")  # fmt: skip
            if not same:
                differ = sorted(k for k in plain_scores if scores.get(k) != plain_scores[k])
                print(f"  scores differ for {', '.join(differ)}")
        print(f"students' code: {how}")


# --------------------------------------------------------------------------- torch


def solution_functions(path: Path, names: tuple[str, ...]) -> dict:
    """Define the functions of a solution notebook: run its cells made only of imports and defs."""
    namespace: dict = {"np": np}  # the notebooks' set-up cell imports NumPy as np
    for cell in notebooks.read(path).cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        kinds = (ast.Import, ast.ImportFrom, ast.FunctionDef)
        if tree.body and all(isinstance(node, kinds) for node in tree.body):
            exec(compile(tree, str(path), "exec"), namespace)  # noqa: S102 (our own solution)
    missing = [n for n in names if n not in namespace]
    if missing:
        raise RuntimeError(f"{path.name} defines no {', '.join(missing)}")
    return {n: namespace[n] for n in names}


def _time_against_torch(torch, forward, backward, B, T, D, H, dtype, reps):
    """Median milliseconds of ours and torch's forward + backward, and the largest gradient gap."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((B, T, D)).astype(dtype)
    h0 = rng.standard_normal((B, H)).astype(dtype)
    W = (rng.standard_normal((H, H)) / np.sqrt(H)).astype(dtype)
    U = (rng.standard_normal((H, D)) / np.sqrt(D)).astype(dtype)
    b = (0.1 * rng.standard_normal(H)).astype(dtype)
    dhs = rng.standard_normal((B, T, H)).astype(dtype)

    rnn = torch.nn.RNN(D, H, batch_first=True, dtype=getattr(torch, dtype))
    with torch.no_grad():  # the same weights; torch's second bias stays zero
        rnn.weight_hh_l0.copy_(torch.from_numpy(W))
        rnn.weight_ih_l0.copy_(torch.from_numpy(U))
        rnn.bias_ih_l0.copy_(torch.from_numpy(b))
        rnn.bias_hh_l0.zero_()
    tx, th0, tdhs = (torch.from_numpy(a) for a in (x, h0[None], dhs))

    def ours():
        hs, _ = forward(x, h0, W, U, b)  # (hs, h_last), as exercise 1 defines it
        return backward(x, h0, W, U, b, hs, dhs)

    def theirs():
        xr, hr = tx.clone().requires_grad_(), th0.clone().requires_grad_()
        rnn.zero_grad()
        out, _ = rnn(xr, hr)
        out.backward(tdhs)
        return xr.grad, hr.grad

    grads = ours()
    gx, gh0 = theirs()
    diff = max(
        np.abs(grads["x"] - gx.numpy()).max(),
        np.abs(grads["h0"] - gh0.numpy()[0]).max(),
        np.abs(grads["W"] - rnn.weight_hh_l0.grad.numpy()).max(),
        np.abs(grads["U"] - rnn.weight_ih_l0.grad.numpy()).max(),
        np.abs(grads["b"] - rnn.bias_ih_l0.grad.numpy()).max(),
    )
    t_ours, t_theirs = [], []
    for _ in range(reps):  # interleaved, so drifts in machine load hit both alike
        start = time.perf_counter()
        ours()
        t_ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        theirs()
        t_theirs.append(time.perf_counter() - start)
    return 1e3 * statistics.median(t_ours), 1e3 * statistics.median(t_theirs), diff


def bench_torch(reps: int) -> None:
    heading(f"RNN forward + backward: the solutions vs torch.nn.RNN on the CPU "
            f"(goal: median ratio <= {TORCH_GOAL})")  # fmt: skip
    try:
        import torch
    except ImportError:
        print("torch is not installed: `make bench` installs the bench extra (torch==2.13.0)")
        return
    fns = solution_functions(
        REPO / "solutions" / "ex2-bptt" / "ex2-bptt.ipynb", ("rnn_forward", "rnn_backward")
    )
    forward, backward = fns["rnn_forward"], fns["rnn_backward"]
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads; numpy {np.__version__}")
    print(f"{'B':>4} {'T':>4} {'D':>3} {'H':>4} {'dtype':>8} {'ours ms':>8} {'torch ms':>9} "
          f"{'ratio':>6}  max |grad diff|")  # fmt: skip
    ratios = []
    for size in TORCH_SIZES:
        ours_ms, torch_ms, diff = _time_against_torch(torch, forward, backward, *size, reps)
        ratios.append(ours_ms / torch_ms)
        B, T, D, H, dtype = size
        print(f"{B:4d} {T:4d} {D:3d} {H:4d} {dtype:>8} {ours_ms:8.2f} {torch_ms:9.2f} "
              f"{ours_ms / torch_ms:6.2f}  {diff:.1e}")  # fmt: skip
    median = statistics.median(ratios)
    print(
        f"median ratio over the sizes: {median:.2f}   goal <= {TORCH_GOAL}: "
        f"{verdict(median <= TORCH_GOAL)}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="notebooks,grading,torch")
    parser.add_argument("--submissions", type=int, default=30)
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--notebook-runs", type=int, default=3)
    args = parser.parse_args(argv)
    parts = set(args.only.split(","))
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    if "torch" in parts:
        bench_torch(args.reps)
    if "notebooks" in parts:
        bench_notebooks(args.notebook_runs)
    if "grading" in parts:
        bench_grading(args.submissions)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
