"""Diagrams are built from graphs whose structure matches what the lectures say."""

from __future__ import annotations

import pytest

from rnncourse import diagrams, plots


@pytest.mark.parametrize(
    ("name", "inputs", "outputs", "hidden"),
    [
        ("one-to-one", 1, 1, 1),
        ("one-to-many", 1, 4, 4),
        ("many-to-one", 4, 1, 4),
        ("many-to-many", 4, 4, 4),
    ],
)
def test_problem_shapes_have_the_right_inputs_and_outputs(name, inputs, outputs, hidden):
    graph = diagrams.problem_shape_graph(name)
    assert graph.count("input") == inputs
    assert graph.count("output") == outputs
    assert graph.count("hidden") == hidden
    assert len(graph.edges_of("recurrent")) == hidden - 1  # the state flows along the chain


def test_many_to_one_emits_only_at_the_last_step():
    graph = diagrams.problem_shape_graph("many-to-one")
    assert [n.x for n in graph.nodes.values() if n.kind == "output"] == [3]


def test_graph_rejects_edges_to_missing_nodes():
    graph = diagrams.Graph("g")
    graph.add("a", 0, 0, "input", "a")
    with pytest.raises(KeyError):
        graph.connect("a", "b")
    with pytest.raises(ValueError):
        graph.add("c", 0, 0, "banana", "c")


def test_draw_puts_one_box_per_node_and_one_arrow_per_edge():
    graph = diagrams.problem_shape_graph("many-to-many")
    ax = diagrams.draw(graph)
    gids = [p.get_gid() for p in ax.patches]
    assert sum(g.startswith("node:") for g in gids) == len(graph.nodes)
    assert sum(g.startswith("edge:") for g in gids) == len(graph.edges)


def test_problem_shapes_figure_has_four_titled_panels():
    fig = diagrams.problem_shapes()
    titles = [ax.get_title() for ax in fig.axes]
    assert len(titles) == 4 and all(titles)
    assert titles[2].startswith("many-to-one")
    assert plots.COLORS["orange"] == diagrams.KIND_COLORS["hidden"]


def test_neuron_graph_has_one_u_and_one_w_per_step():
    graph = diagrams.neuron_graph(steps=5)
    assert graph.count("input") == 6 and graph.count("hidden") == 6  # rolled + 5 unrolled
    recurrent = graph.edges_of("recurrent")
    assert ("h", "h") in recurrent  # the rolled self-loop
    assert [e for e in recurrent if e != ("h", "h")] == [
        (f"h{t - 1}", f"h{t}") for t in range(1, 6)
    ]
    labels = [text for _, _, text in graph.notes]
    assert labels.count("$u$") == 6 and labels.count("$w$") == 6
    ax = diagrams.draw(graph)
    assert ax.get_title()
