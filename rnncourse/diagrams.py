"""Diagrams of recurrent networks, drawn with matplotlib from a plain description of the graph.

Every diagram is built in two steps so that tests can check the *structure* rather than pixels:
a ``*_graph`` function returns a :class:`Graph` (nodes with positions and kinds, and edges), and
:func:`draw` renders any graph. Node kinds share one colour code across the course:
inputs ``x`` below, hidden states ``h`` in the middle, outputs ``y`` on top; padding (steps that
are not part of a sequence) is drawn as an empty box with a dashed outline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from . import plots

KIND_COLORS = {
    "input": plots.COLORS["sky"],
    "hidden": plots.COLORS["orange"],
    "output": plots.COLORS["green"],
    "state": plots.COLORS["grey"],
    "padding": "#FFFFFF",  # told apart by its dashed outline, not by its colour
}
EDGE_COLORS = {"forward": "#333333", "recurrent": plots.COLORS["vermillion"]}


@dataclass(frozen=True)
class Node:
    name: str
    x: float
    y: float
    kind: str  # one of KIND_COLORS
    label: str  # mathtext shown inside the box


@dataclass
class Graph:
    title: str
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[tuple[str, str, str]] = field(default_factory=list)  # (source, target, style)
    notes: list[tuple[float, float, str]] = field(default_factory=list)  # free text at (x, y)
    edge_labels: dict[tuple[str, str], str] = field(
        default_factory=dict
    )  # (source, target) -> text

    def add(self, name: str, x: float, y: float, kind: str, label: str) -> None:
        if kind not in KIND_COLORS:
            raise ValueError(f"unknown node kind {kind!r}")
        self.nodes[name] = Node(name, x, y, kind, label)

    def connect(
        self, source: str, target: str, style: str = "forward", label: str | None = None
    ) -> None:
        """Add the edge ``source -> target``; ``label`` (mathtext) is written beside its arrow."""
        if source not in self.nodes or target not in self.nodes:
            raise KeyError(f"edge {source} -> {target} names a node that does not exist")
        if style not in EDGE_COLORS:
            raise ValueError(f"unknown edge style {style!r}")
        self.edges.append((source, target, style))
        if label is not None:
            self.edge_labels[(source, target)] = label

    def edges_into(self, target: str) -> list[tuple[str, str]]:
        """(source, style) of every edge that ends at ``target``."""
        return [(a, s) for a, b, s in self.edges if b == target]

    def count(self, kind: str) -> int:
        return sum(node.kind == kind for node in self.nodes.values())

    def edges_of(self, style: str) -> list[tuple[str, str]]:
        return [(a, b) for a, b, s in self.edges if s == style]

    def ancestors(self, target: str) -> set[str]:
        """Every node with a path of edges into ``target``: what ``target`` can depend on."""
        found, todo = set(), [target]
        while todo:
            for source, _ in self.edges_into(todo.pop()):
                if source not in found and source != target:
                    found.add(source)
                    todo.append(source)
        return found


BOX = 0.62  # side of a node box, in data units (nodes sit on a grid of spacing 1)


def draw(graph: Graph, ax=None):
    """Render ``graph`` on ``ax`` (a new axis if None) and return the axis."""
    if ax is None:
        plots.use_style()
        xs = [n.x for n in graph.nodes.values()] or [0]
        ys = [n.y for n in graph.nodes.values()] or [0]
        width = max(2.4, 1.0 * (max(xs) - min(xs) + 1.6))
        height = max(1.8, 0.9 * (max(ys) - min(ys) + 1.6))
        _, ax = plt.subplots(figsize=(width, height))
    for node in graph.nodes.values():
        ax.add_patch(
            FancyBboxPatch(
                (node.x - BOX / 2, node.y - BOX / 2),
                BOX,
                BOX,
                boxstyle="round,pad=0.02,rounding_size=0.12",
                facecolor=KIND_COLORS[node.kind],
                edgecolor="#222222",
                linewidth=1.0,
                linestyle="--" if node.kind == "padding" else "-",
                gid=f"node:{node.name}",
            )
        )
        ax.text(node.x, node.y, node.label, ha="center", va="center", fontsize=11)
    for source, target, style in graph.edges:
        a, b = graph.nodes[source], graph.nodes[target]
        color = EDGE_COLORS[style]
        if source == target:  # a self-loop (the rolled network): out of the right side and back
            right = a.x + BOX / 2
            loop = Path(
                [(right, a.y + 0.14), (right + 0.55, a.y + 0.5), (right + 0.55, a.y - 0.5),
                 (right, a.y - 0.14)],
                [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4],
            )  # fmt: skip
            arrow = FancyArrowPatch(path=loop, arrowstyle="-|>", mutation_scale=12)
            label_at, align = (right + 0.5, a.y), ("left", "center")
        else:
            arrow = FancyArrowPatch(
                (a.x, a.y),
                (b.x, b.y),
                arrowstyle="-|>",
                mutation_scale=12,
                shrinkA=20,
                shrinkB=20,
                connectionstyle="arc3,rad=0",
            )
            mid_x, mid_y = (a.x + b.x) / 2, (a.y + b.y) / 2
            if abs(b.x - a.x) > abs(b.y - a.y):  # a horizontal arrow: its letter sits above it
                label_at, align = (mid_x, mid_y + 0.06), ("center", "bottom")
            else:  # a vertical arrow: its letter sits to its right
                label_at, align = (mid_x + 0.08, mid_y), ("left", "center")
        arrow.set(color=color, linewidth=1.4, gid=f"edge:{source}->{target}")
        ax.add_patch(arrow)
        text = graph.edge_labels.get((source, target))
        if text is not None:
            ax.text(
                *label_at,
                text,
                ha=align[0],
                va=align[1],
                fontsize=9,
                color=color,
                gid=f"label:{source}->{target}",
            )
    for x, y, text in graph.notes:
        ax.text(x, y, text, ha="center", va="center", fontsize=10, color="#333333")
    xs = [n.x for n in graph.nodes.values()] + [x for x, _, _ in graph.notes]
    ys = [n.y for n in graph.nodes.values()] + [y for _, y, _ in graph.notes]
    loops = any(a == b for a, b, _ in graph.edges)  # a self-loop and its letter stick out right
    ax.set_xlim(min(xs) - 0.8, max(xs) + (1.25 if loops else 0.8))
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    ax.set_aspect("equal")
    ax.set_title(graph.title)
    ax.axis("off")
    return ax


# --------------------------------------------------------------------------- problem shapes

PROBLEM_SHAPES = {
    # name: (steps, steps that receive an input, steps that emit an output, an example)
    "one-to-one": (1, {0}, {0}, "classify one image"),
    "one-to-many": (4, {0}, {0, 1, 2, 3}, "first note → melody"),
    "many-to-one": (4, {0, 1, 2, 3}, {3}, "prices → next price"),
    "many-to-many": (4, {0, 1, 2, 3}, {0, 1, 2, 3}, "text → next letters"),
}


def problem_shape_graph(name: str) -> Graph:
    """One of the four problem shapes as a graph: inputs, a chain of hidden states, outputs."""
    if name not in PROBLEM_SHAPES:
        raise ValueError(
            f"unknown problem shape {name!r}; choose one of {', '.join(PROBLEM_SHAPES)}"
        )
    steps, inputs, outputs, example = PROBLEM_SHAPES[name]
    graph = Graph(f"{name}\n({example})")
    for t in range(steps):
        graph.add(f"h{t}", t, 1, "hidden", rf"$h_{t + 1}$")
        if t > 0:
            graph.connect(f"h{t - 1}", f"h{t}", "recurrent")
        if t in inputs:
            graph.add(f"x{t}", t, 0, "input", rf"$x_{t + 1}$")
            graph.connect(f"x{t}", f"h{t}")
        if t in outputs:
            graph.add(f"y{t}", t, 2, "output", rf"$y_{t + 1}$")
            graph.connect(f"h{t}", f"y{t}")
    return graph


def problem_shapes():
    """Figure with the four problem shapes side by side; returns the figure."""
    plots.use_style()
    fig, axes = plt.subplots(
        1,
        4,
        figsize=(12, 3.4),
        gridspec_kw={"width_ratios": [1.6, 4, 4, 4]},
    )
    for ax, name in zip(axes, PROBLEM_SHAPES, strict=True):
        draw(problem_shape_graph(name), ax)
    fig.suptitle(
        "Four shapes of sequence problems: where inputs enter and outputs leave", fontweight="bold"
    )
    return fig


# --------------------------------------------------------------------------- rolled and unrolled
#
# Node names: ``x{t}``, ``h{t}``, ``y{t}`` for steps t = 1..T and ``h0`` for the initial state.
# h_0 is drawn (grey: it is given, not computed), so the unrolled chain has T recurrent edges
# h_0 -> h_1, ..., h_{T-1} -> h_T, one per step, each multiplying by the same W. Without h_0
# (``initial=False``) the chain has T - 1 recurrent edges, as in the problem-shape diagrams.

SHARED_WEIGHTS = {"input": "$U$", "recurrent": "$W$", "output": "$V$"}


def rolled_graph(labels: bool = True) -> Graph:
    """The rolled network: one input, one hidden state with a self-loop (W), one output."""
    graph = Graph("rolled")
    graph.add("x", 0, 0, "input", "$x_t$")
    graph.add("h", 0, 1, "hidden", "$h_t$")
    graph.add("y", 0, 2, "output", "$y_t$")
    weights = SHARED_WEIGHTS if labels else {}
    graph.connect("x", "h", "forward", weights.get("input"))
    graph.connect("h", "h", "recurrent", weights.get("recurrent"))
    graph.connect("h", "y", "forward", weights.get("output"))
    return graph


def unrolled_graph(T: int, labels: bool = True, initial: bool = True) -> Graph:
    """The same network unrolled over ``T`` steps: x_1..x_T, h_0..h_T, y_1..y_T.

    With ``labels`` every arrow carries the letter of its weight matrix, the same at every step.
    With ``initial`` the initial state h_0 is drawn and the chain has T recurrent edges (else T - 1).
    """
    if int(T) != T or T < 1:
        raise ValueError(f"T must be a whole number of steps >= 1, got {T!r}")
    graph = Graph(f"unrolled over T = {T} step{'s' if T > 1 else ''}")
    weights = SHARED_WEIGHTS if labels else {}
    if initial:
        graph.add("h0", 0, 1, "state", "$h_0$")
    for t in range(1, T + 1):
        graph.add(f"x{t}", t, 0, "input", rf"$x_{{{t}}}$")
        graph.add(f"h{t}", t, 1, "hidden", rf"$h_{{{t}}}$")
        graph.add(f"y{t}", t, 2, "output", rf"$y_{{{t}}}$")
        graph.connect(f"x{t}", f"h{t}", "forward", weights.get("input"))
        if t > 1 or initial:
            graph.connect(f"h{t - 1}", f"h{t}", "recurrent", weights.get("recurrent"))
        graph.connect(f"h{t}", f"y{t}", "forward", weights.get("output"))
    return graph


def neuron_graph(steps: int = 4) -> Graph:
    """The one-unit recurrent neuron rolled (a self-loop) beside its unrolling over ``steps`` steps.

    Every input edge carries the same weight ``u`` and every recurrent edge the same ``w``: the
    labels repeat because the weights do not depend on ``t``. Lecture 3 draws it; it has no
    readout and lower-case ``u``, ``w`` because that neuron's weights are numbers, not matrices.
    """
    if steps < 1:
        raise ValueError("steps must be at least 1")
    graph = Graph("One neuron fed its own output: the same u and w at every step")
    graph.add("x", 0, 0, "input", r"$x_t$")
    graph.add("h", 0, 1.4, "hidden", r"$h_t$")
    graph.connect("x", "h")
    graph.connect("h", "h", "recurrent")  # the loop: h_t comes back in at step t + 1
    graph.notes += [(-0.25, 0.7, "$u$"), (0.65, 1.95, "$w$"), (1.05, 0.7, "unrolled:")]
    graph.add("h0", 2, 1.4, "state", r"$h_0$")
    for t in range(1, steps + 1):
        graph.add(f"x{t}", 2 + 1.2 * t, 0, "input", f"$x_{{{t}}}$")
        graph.add(f"h{t}", 2 + 1.2 * t, 1.4, "hidden", f"$h_{{{t}}}$")
        graph.connect(f"x{t}", f"h{t}")
        graph.connect(f"h{t - 1}", f"h{t}", "recurrent")
        graph.notes += [(1.75 + 1.2 * t, 0.7, "$u$"), (1.4 + 1.2 * t, 1.65, "$w$")]
    return graph


def rolled_and_unrolled(T: int = 4):
    """Figure: the rolled network beside the same network unrolled over ``T`` steps."""
    plots.use_style()
    fig, (ax_rolled, ax_unrolled) = plt.subplots(
        1, 2, figsize=(max(6.5, T + 4.5), 3.6), gridspec_kw={"width_ratios": [2.6, T + 1.9]}
    )
    draw(rolled_graph(), ax_rolled)
    draw(unrolled_graph(T), ax_unrolled)
    ax_rolled.set_anchor("E")  # pull the two panels together, the "=" between them
    ax_unrolled.set_anchor("W")
    ax_rolled.text(1.0, 0.5, "=", transform=ax_rolled.transAxes, fontsize=24, va="center")
    fig.suptitle(
        f"Unrolling the loop over T = {T} step{'s' if T > 1 else ''} gives"
        f" {T} cop{'ies' if T > 1 else 'y'} of one cell:\nevery step uses the same U, W and V",
        fontweight="bold",
    )
    return fig


# --------------------------------------------------------------------------- a ragged batch
#
# One band per sequence b = 0..B-1 (top to bottom): ``x{b}_{t}`` and ``h{b}_{t}`` for t = 1..T,
# ``h{b}_0`` the initial state, ``y{b}`` a many-to-one readout. Steps t <= lengths[b] are real;
# the steps after them are padding: their input boxes hold arbitrary numbers ("pad") and their
# output boxes the defined value 0, and no edge enters or leaves any of them. The readout of
# sequence b reads its last real state h_{lengths[b]}, wherever that sits in the padded array.

BAND = 3.2  # vertical distance between the bands of two sequences


def ragged_graph(lengths, T: int | None = None) -> Graph:
    """A padded batch of sequences of the given ``lengths``, unrolled over ``T`` = max steps.

    Every real step reads its input and the previous real state; a padded step is read by nothing
    and reads nothing (its output is the constant 0); each sequence's readout ``y`` reads the state
    after its own last real step.
    """
    lengths = [int(n) for n in lengths]
    T = max(lengths) if T is None else T
    if int(T) != T or T < 1:
        raise ValueError(f"T must be a whole number of steps >= 1, got {T!r}")
    if not lengths or not all(1 <= n <= T for n in lengths):
        raise ValueError(f"every length must lie in 1..T = {T}, got {lengths}")
    graph = Graph(f"a padded batch: {len(lengths)} sequences, T = {T} steps")
    for b, n in enumerate(lengths):
        base = BAND * (len(lengths) - 1 - b)  # the first sequence on top
        graph.notes.append((-1.25, base + 1, f"sequence {b + 1}\n$\\ell_{{{b + 1}}} = {n}$"))
        graph.add(f"h{b}_0", 0, base + 1, "state", "$h_0$")
        for t in range(1, T + 1):
            if t <= n:
                graph.add(f"x{b}_{t}", t, base, "input", rf"$x_{{{t}}}$")
                graph.add(f"h{b}_{t}", t, base + 1, "hidden", rf"$h_{{{t}}}$")
                graph.connect(f"x{b}_{t}", f"h{b}_{t}")
                graph.connect(f"h{b}_{t - 1}", f"h{b}_{t}", "recurrent")
            else:  # padding: nothing reads it, and the state it would hold is defined as 0
                graph.add(f"x{b}_{t}", t, base, "padding", "pad")
                graph.add(f"h{b}_{t}", t, base + 1, "padding", "$0$")
        graph.add(f"y{b}", n, base + 2, "output", "$y$")
        graph.connect(f"h{b}_{n}", f"y{b}")
    return graph


def ragged_batch(lengths=(5, 2, 4)):
    """Figure: a padded batch of sequences of different ``lengths``; returns the figure."""
    graph = ragged_graph(lengths)
    T, B = max(lengths), len(lengths)
    plots.use_style()
    fig, ax = plt.subplots(figsize=(max(7.0, 0.8 * (T + 3.6)), 0.8 * (BAND * (B - 1) + 4.2)))
    draw(graph, ax)
    ax.set_xlim(-2.1, T + 0.7)  # room for the sequence names on the left
    ax.set_title(
        f"{B} sequences padded to T = {T} steps. Dashed boxes are padding:\n"
        "no arrow enters or leaves them, their outputs are 0,\n"
        "and each y reads its own sequence's last real state"
    )
    return fig


# --------------------------------------------------------------------------- deep: time x depth
#
# Node names: ``x{t}`` (layer 0), ``h{l}_{t}`` for layer l = 1..L at step t = 1..T, ``h{l}_0`` the
# initial state of layer l, ``y{t}`` the outputs read from the top layer. Every hidden state h_t^l
# has exactly two incoming edges: one from below (h_t^{l-1}, or x_t when l = 1) and one from the
# left (h_{t-1}^l, or the initial state h_0^l when t = 1).


def grid_graph(T: int, L: int, outputs: bool = True) -> Graph:
    """The time x depth grid of an L-layer RNN unrolled over T steps (layer l at height l)."""
    for name, value in (("T", T), ("L", L)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} must be a whole number >= 1, got {value!r}")
    graph = Graph(f"{L} layer{'s' if L > 1 else ''} × {T} step{'s' if T > 1 else ''}")
    for t in range(1, T + 1):
        graph.add(f"x{t}", t, 0, "input", rf"$x_{{{t}}}$")
    for layer in range(1, L + 1):
        graph.add(f"h{layer}_0", 0, layer, "state", rf"$h_0^{{({layer})}}$")
        graph.notes.append((-0.95, layer, f"layer {layer}"))
        for t in range(1, T + 1):
            name = f"h{layer}_{t}"
            graph.add(name, t, layer, "hidden", rf"$h_{{{t}}}^{{({layer})}}$")
            graph.connect(f"x{t}" if layer == 1 else f"h{layer - 1}_{t}", name, "forward")
            graph.connect(f"h{layer}_{t - 1}", name, "recurrent")
    if outputs:
        for t in range(1, T + 1):
            graph.add(f"y{t}", t, L + 1, "output", rf"$y_{{{t}}}$")
            graph.connect(f"h{L}_{t}", f"y{t}", "forward")
    return graph


def grid(T: int = 4, L: int = 3):
    """Figure: the time x depth grid of a deep RNN with L layers over T steps; returns the figure."""
    graph = grid_graph(T, L)
    plots.use_style()
    fig, ax = plt.subplots(figsize=(max(6.0, T + 2.8), 0.9 * (L + 3.6) + 0.5))
    draw(graph, ax)
    states = T * L
    ax.set_title(
        f"A deep RNN is a grid: {L} layer{'s' if L > 1 else ''} × {T} step{'s' if T > 1 else ''}"
        f" = {states} hidden state{'s' if states > 1 else ''}\n"
        "(each reads the state below it and its own previous state)"
    )
    return fig


# --------------------------------------------------------------------------- bidirectional
#
# Node names: ``x{t}`` and ``y{t}`` for t = 1..T; ``f{t}`` the forward states (``f0`` given, on the
# left) and ``r{t}`` the reverse states (``r{T+1}`` given, on the right). The forward chain runs
# left to right, the reverse chain right to left; every y_t reads f_t and r_t, i.e. [h→_t ; h←_t].

STEP = 1.5  # horizontal distance between steps: the two chains sit side by side in each column


def bidirectional_graph(T: int) -> Graph:
    """A bidirectional layer unrolled over ``T`` steps: two chains reading x in opposite orders."""
    if int(T) != T or T < 1:
        raise ValueError(f"T must be a whole number of steps >= 1, got {T!r}")
    graph = Graph(f"bidirectional, T = {T} step{'s' if T > 1 else ''}")
    graph.add("f0", -0.4, 1, "state", r"$\overrightarrow{h}_0$")
    graph.add(f"r{T + 1}", STEP * (T + 1) + 0.4, 2, "state", rf"$\overleftarrow{{h}}_{{{T + 1}}}$")
    graph.notes += [(-1.55, 1, "forward"), (-1.55, 2, "reverse")]
    for t in range(1, T + 1):
        column = STEP * t
        graph.add(f"x{t}", column, 0, "input", rf"$x_{{{t}}}$")
        graph.add(f"f{t}", column - 0.4, 1, "hidden", rf"$\overrightarrow{{h}}_{{{t}}}$")
        graph.add(f"r{t}", column + 0.4, 2, "hidden", rf"$\overleftarrow{{h}}_{{{t}}}$")
        graph.add(f"y{t}", column, 3, "output", rf"$y_{{{t}}}$")
        graph.connect(f"x{t}", f"f{t}")
        graph.connect(f"x{t}", f"r{t}")
    for t in range(1, T + 1):
        graph.connect(f"f{t - 1}", f"f{t}", "recurrent")  # left to right
    for t in range(T, 0, -1):
        graph.connect(f"r{t + 1}", f"r{t}", "recurrent")  # right to left
    for t in range(1, T + 1):
        graph.connect(f"f{t}", f"y{t}")
        graph.connect(f"r{t}", f"y{t}")
    return graph


def bidirectional(T: int = 4):
    """Figure: a bidirectional layer over ``T`` steps; returns the figure."""
    graph = bidirectional_graph(T)
    plots.use_style()
    fig, ax = plt.subplots(figsize=(min(9.5, 0.95 * (STEP * T + 4.2)), 4.6))
    draw(graph, ax)
    ax.set_xlim(-2.3, STEP * (T + 1) + 1.2)
    ax.set_title(
        "A bidirectional layer: one chain reads left to right, the other right to left;\n"
        r"$y_t$ reads both, $[\overrightarrow{h}_t ; \overleftarrow{h}_t]$,"
        " so it depends on the whole sequence"
    )
    return fig
