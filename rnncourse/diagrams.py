"""Diagrams of recurrent networks, drawn with matplotlib from a plain description of the graph.

Every diagram is built in two steps so that tests can check the *structure* rather than pixels:
a ``*_graph`` function returns a :class:`Graph` (nodes with positions and kinds, and edges), and
:func:`draw` renders any graph. Node kinds share one colour code across the course:
inputs ``x`` below, hidden states ``h`` in the middle, outputs ``y`` on top.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from . import plots

KIND_COLORS = {
    "input": plots.COLORS["sky"],
    "hidden": plots.COLORS["orange"],
    "output": plots.COLORS["green"],
    "state": plots.COLORS["grey"],
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

    def add(self, name: str, x: float, y: float, kind: str, label: str) -> None:
        if kind not in KIND_COLORS:
            raise ValueError(f"unknown node kind {kind!r}")
        self.nodes[name] = Node(name, x, y, kind, label)

    def connect(self, source: str, target: str, style: str = "forward") -> None:
        if source not in self.nodes or target not in self.nodes:
            raise KeyError(f"edge {source} -> {target} names a node that does not exist")
        if style not in EDGE_COLORS:
            raise ValueError(f"unknown edge style {style!r}")
        self.edges.append((source, target, style))

    def count(self, kind: str) -> int:
        return sum(node.kind == kind for node in self.nodes.values())

    def edges_of(self, style: str) -> list[tuple[str, str]]:
        return [(a, b) for a, b, s in self.edges if s == style]


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
                gid=f"node:{node.name}",
            )
        )
        ax.text(node.x, node.y, node.label, ha="center", va="center", fontsize=11)
    for source, target, style in graph.edges:
        a, b = graph.nodes[source], graph.nodes[target]
        loop = source == target  # the rolled network's self-loop
        arrow = FancyArrowPatch(
            (a.x + (BOX / 2 if loop else 0), a.y),
            (b.x + (BOX / 2 if loop else 0), b.y + (0.0 if not loop else 0.2)),
            arrowstyle="-|>",
            mutation_scale=12,
            color=EDGE_COLORS[style],
            linewidth=1.4,
            shrinkA=0 if loop else 20,
            shrinkB=0 if loop else 20,
            connectionstyle="arc3,rad=-2.2" if loop else "arc3,rad=0",
            gid=f"edge:{source}->{target}",
        )
        ax.add_patch(arrow)
    for x, y, text in graph.notes:
        ax.text(x, y, text, ha="center", va="center", fontsize=10, color="#333333")
    xs = [n.x for n in graph.nodes.values()] + [x for x, _, _ in graph.notes]
    ys = [n.y for n in graph.nodes.values()] + [y for _, y, _ in graph.notes]
    ax.set_xlim(min(xs) - 0.8, max(xs) + 0.8)
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
