"""The rolled, unrolled and deep (time x depth) diagrams have the structure lectures 4 and 5 teach."""

from __future__ import annotations

import matplotlib.colors as mcolors
import pytest

from rnncourse import diagrams


def drawn(ax, prefix):
    """gids of the artists of ``ax`` (patches and texts) whose gid starts with ``prefix``."""
    artists = list(ax.patches) + list(ax.texts)
    return [a.get_gid() for a in artists if (a.get_gid() or "").startswith(prefix)]


def test_rolled_graph_is_one_cell_with_a_self_loop_labelled_w():
    graph = diagrams.rolled_graph()
    assert [graph.count(k) for k in ("input", "hidden", "output")] == [1, 1, 1]
    assert graph.edges_of("recurrent") == [("h", "h")]
    assert graph.edge_labels == {("x", "h"): "$U$", ("h", "h"): "$W$", ("h", "y"): "$V$"}


@pytest.mark.parametrize("T", [1, 2, 5, 12])
def test_unrolled_graph_has_one_copy_of_the_cell_per_step(T):
    graph = diagrams.unrolled_graph(T)
    assert graph.count("input") == graph.count("hidden") == graph.count("output") == T
    assert graph.count("state") == 1  # h_0 is drawn, given rather than computed
    recurrent = graph.edges_of("recurrent")
    assert recurrent == [(f"h{t - 1}", f"h{t}") for t in range(1, T + 1)]  # T edges, in order
    assert len(graph.edges_of("forward")) == 2 * T  # x_t -> h_t and h_t -> y_t


@pytest.mark.parametrize("T", [1, 3, 7])
def test_unrolled_graph_without_h0_has_t_minus_1_recurrent_edges(T):
    graph = diagrams.unrolled_graph(T, initial=False)
    assert graph.count("state") == 0 and "h0" not in graph.nodes
    assert len(graph.edges_of("recurrent")) == T - 1


def test_unrolled_graph_labels_every_step_with_the_same_shared_weights():
    T = 6
    graph = diagrams.unrolled_graph(T)
    letters = {}
    for (source, target), label in graph.edge_labels.items():
        letters.setdefault(label, []).append((source, target))
    assert set(letters) == {"$U$", "$W$", "$V$"}
    assert all(len(edges) == T for edges in letters.values())  # one of each letter per step
    assert diagrams.unrolled_graph(T, labels=False).edge_labels == {}


def test_unrolled_graph_places_time_left_to_right():
    graph = diagrams.unrolled_graph(4)
    xs = [graph.nodes[f"h{t}"].x for t in range(5)]
    assert xs == sorted(xs) and len(set(xs)) == 5
    assert {graph.nodes[f"x{t}"].y for t in range(1, 5)} == {0}


@pytest.mark.parametrize("bad", [0, -1, 2.5])
def test_unrolled_and_grid_graphs_reject_impossible_sizes(bad):
    with pytest.raises(ValueError, match="T"):
        diagrams.unrolled_graph(bad)
    with pytest.raises(ValueError, match="L"):
        diagrams.grid_graph(3, bad)


@pytest.mark.parametrize(("T", "L"), [(1, 1), (4, 3), (6, 2), (2, 5)])
def test_grid_graph_has_t_times_l_hidden_states(T, L):
    graph = diagrams.grid_graph(T, L)
    assert graph.count("hidden") == T * L
    assert graph.count("state") == L  # one initial state per layer
    assert graph.count("input") == graph.count("output") == T
    assert len(graph.edges_of("recurrent")) == T * L


@pytest.mark.parametrize(("T", "L"), [(1, 1), (4, 3), (5, 4)])
def test_every_grid_state_reads_once_from_below_and_once_from_the_left(T, L):
    graph = diagrams.grid_graph(T, L)
    for layer in range(1, L + 1):
        for t in range(1, T + 1):
            incoming = dict(graph.edges_into(f"h{layer}_{t}"))
            below = f"x{t}" if layer == 1 else f"h{layer - 1}_{t}"
            assert incoming == {below: "forward", f"h{layer}_{t - 1}": "recurrent"}


def test_grid_layers_read_the_layer_below_not_the_input():
    graph = diagrams.grid_graph(3, 3)
    readers_of_x = {b for a, b, _ in graph.edges if a.startswith("x")}
    assert readers_of_x == {"h1_1", "h1_2", "h1_3"}  # only layer 1 sees x
    assert {a for a, _ in graph.edges_into("y2")} == {"h3_2"}  # outputs read the top layer


@pytest.mark.parametrize("graph", [diagrams.rolled_graph(), diagrams.unrolled_graph(5)])
def test_draw_renders_one_box_per_node_one_arrow_and_one_letter_per_edge(graph):
    ax = diagrams.draw(graph)
    assert len(drawn(ax, "node:")) == len(graph.nodes)
    assert len(drawn(ax, "edge:")) == len(graph.edges)
    labels = {t.get_gid(): t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("l")}
    assert labels == {f"label:{a}->{b}": text for (a, b), text in graph.edge_labels.items()}


@pytest.mark.parametrize("T", [1, 4, 9])
def test_rolled_and_unrolled_figure_draws_both_networks(T):
    fig = diagrams.rolled_and_unrolled(T)
    ax_rolled, ax_unrolled = fig.axes
    assert len(drawn(ax_rolled, "node:")) == 3
    assert len(drawn(ax_unrolled, "node:")) == 3 * T + 1
    assert len(drawn(ax_unrolled, "edge:")) == 3 * T
    assert str(T) in ax_unrolled.get_title() and str(T) in fig.get_suptitle()


@pytest.mark.parametrize(("T", "L"), [(1, 1), (4, 3), (8, 5)])
def test_grid_figure_draws_t_times_l_hidden_boxes(T, L):
    fig = diagrams.grid(T, L)
    (ax,) = fig.axes
    hidden = mcolors.to_rgba(diagrams.KIND_COLORS["hidden"])
    boxes = [p for p in ax.patches if (p.get_gid() or "").startswith("node:")]
    assert sum(p.get_facecolor() == hidden for p in boxes) == T * L
    assert len(drawn(ax, "edge:")) == len(diagrams.grid_graph(T, L).edges)
    assert f"= {T * L} hidden state" in ax.get_title()
