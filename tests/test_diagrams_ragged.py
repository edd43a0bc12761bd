"""The ragged-batch and bidirectional diagrams have the structure lectures 4 and 5 teach."""

from __future__ import annotations

import pytest

from rnncourse import diagrams

LENGTHS = [5, 2, 4]


def inputs_of(graph, name):
    """The input nodes ``name`` can depend on (its ancestors of kind input or padding)."""
    return {a for a in graph.ancestors(name) if graph.nodes[a].kind in ("input", "padding")}


def test_ancestors_follow_edges_backwards_only():
    graph = diagrams.unrolled_graph(3)
    assert graph.ancestors("h2") == {"h0", "h1", "x1", "x2"}
    assert graph.ancestors("x3") == set()
    assert "x3" not in graph.ancestors("y2")  # a forward layer never reads the future


def test_ragged_graph_has_one_real_box_per_real_step_and_dashed_boxes_for_the_rest():
    graph = diagrams.ragged_graph(LENGTHS)
    T = max(LENGTHS)
    assert graph.count("hidden") == graph.count("input") == sum(LENGTHS)
    assert graph.count("padding") == 2 * (len(LENGTHS) * T - sum(LENGTHS))  # an x and an h each
    assert graph.count("output") == graph.count("state") == len(LENGTHS)


def test_no_edge_touches_a_padded_step():
    graph = diagrams.ragged_graph(LENGTHS)
    padded = {name for name, node in graph.nodes.items() if node.kind == "padding"}
    assert padded and not any(a in padded or b in padded for a, b, _ in graph.edges)
    assert all(graph.nodes[n].label == "$0$" for n in padded if n.startswith("h"))


@pytest.mark.parametrize("b", range(len(LENGTHS)))
def test_each_readout_reads_its_own_last_real_state_and_only_real_inputs(b):
    graph = diagrams.ragged_graph(LENGTHS)
    n = LENGTHS[b]
    assert graph.edges_into(f"y{b}") == [(f"h{b}_{n}", "forward")]  # position n, not T
    assert inputs_of(graph, f"y{b}") == {f"x{b}_{t}" for t in range(1, n + 1)}
    chain = [e for e in graph.edges_of("recurrent") if e[1].startswith(f"h{b}_")]
    assert chain == [(f"h{b}_{t - 1}", f"h{b}_{t}") for t in range(1, n + 1)]


def test_ragged_graph_puts_sequences_in_bands_with_time_left_to_right():
    graph = diagrams.ragged_graph(LENGTHS)
    heights = [graph.nodes[f"h{b}_1"].y for b in range(len(LENGTHS))]
    assert heights == sorted(heights, reverse=True)  # the first sequence on top
    assert [graph.nodes[f"x0_{t}"].x for t in range(1, 6)] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(("lengths", "T"), [([0, 2], None), ([3, 6], 5), ([], None), ([2], 1.5)])
def test_ragged_graph_rejects_impossible_lengths(lengths, T):
    with pytest.raises(ValueError):
        diagrams.ragged_graph(lengths, T)


def test_ragged_batch_figure_draws_every_box_and_dashes_only_the_padding():
    fig = diagrams.ragged_batch(LENGTHS)
    (ax,) = fig.axes
    graph = diagrams.ragged_graph(LENGTHS)
    boxes = {p.get_gid()[5:]: p for p in ax.patches if (p.get_gid() or "").startswith("node:")}
    assert set(boxes) == set(graph.nodes)
    dashed = {name for name, p in boxes.items() if p.get_linestyle() != "-"}
    assert dashed == {name for name, n in graph.nodes.items() if n.kind == "padding"}
    assert "padding" in ax.get_title()


@pytest.mark.parametrize("T", [1, 2, 4, 6])
def test_bidirectional_graph_has_two_chains_running_in_opposite_directions(T):
    graph = diagrams.bidirectional_graph(T)
    assert graph.count("hidden") == 2 * T and graph.count("state") == 2
    recurrent = graph.edges_of("recurrent")
    assert [e for e in recurrent if e[0].startswith("f")] == [
        (f"f{t - 1}", f"f{t}") for t in range(1, T + 1)
    ]
    assert [e for e in recurrent if e[0].startswith("r")] == [
        (f"r{t + 1}", f"r{t}") for t in range(T, 0, -1)
    ]


def test_every_bidirectional_output_reads_one_forward_and_one_reverse_state():
    graph = diagrams.bidirectional_graph(4)
    for t in range(1, 5):
        assert sorted(a for a, _ in graph.edges_into(f"y{t}")) == [f"f{t}", f"r{t}"]
        assert {b for a, b, _ in graph.edges if a == f"x{t}"} == {f"f{t}", f"r{t}"}


def test_a_bidirectional_output_depends_on_the_whole_sequence():
    T = 5
    graph = diagrams.bidirectional_graph(T)
    everything = {f"x{t}" for t in range(1, T + 1)}
    assert all(inputs_of(graph, f"y{t}") == everything for t in range(1, T + 1))
    assert inputs_of(graph, "f2") == {"x1", "x2"}  # the forward half reads the past only
    assert inputs_of(graph, "r4") == {"x4", "x5"}  # the reverse half the future only


def test_bidirectional_figure_draws_the_graph():
    fig = diagrams.bidirectional(3)
    (ax,) = fig.axes
    graph = diagrams.bidirectional_graph(3)
    gids = [p.get_gid() or "" for p in ax.patches]
    assert sum(g.startswith("node:") for g in gids) == len(graph.nodes)
    assert sum(g.startswith("edge:") for g in gids) == len(graph.edges)
    with pytest.raises(ValueError, match="T"):
        diagrams.bidirectional_graph(0)
