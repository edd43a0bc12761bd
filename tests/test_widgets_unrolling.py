"""Lecture 4's length slider grows the unrolled network and its computation, not its weights."""

from __future__ import annotations

import ipywidgets
import numpy as np
import pytest

from rnncourse.widgets import unrolling

D, H, K = 2, 4, 3


@pytest.fixture
def params():
    rng = np.random.default_rng(0)
    return {
        "W": rng.normal(size=(H, H)),
        "U": rng.normal(size=(H, D)),
        "b": rng.normal(size=H),
        "V": rng.normal(size=(K, H)),
        "c": rng.normal(size=K),
    }


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts] + [fig.get_suptitle()]


def test_costs_count_parameters_once_and_multiply_adds_once_per_step(params):
    n_params = H * H + H * D + H + K * H + K
    for T in (1, 3, 8):
        assert unrolling.costs(params, T) == (n_params, T * (H * H + H * D + K * H))


@pytest.mark.parametrize("T", [1, 4, 8])
def test_figure_draws_t_cells_and_prints_the_counts(params, T):
    fig = unrolling.unrolled_cost_figure(T, params)
    net = fig.axes[0]
    hidden = [
        p
        for p in net.patches
        if (p.get_gid() or "").startswith("node:h") and p.get_gid() != "node:h0"
    ]
    assert len(hidden) == T
    n_params, macs = unrolling.costs(params, T)
    assert f"{n_params} parameters, {macs} multiply-adds" in fig.get_suptitle()
    assert f"{T} × {macs // T} = {macs}" in texts(fig)


def test_the_weights_drawn_do_not_change_with_t(params):
    drawn = []
    for T in (2, 7):
        fig = unrolling.unrolled_cost_figure(T, params)
        (image,) = [im for ax in fig.axes for im in ax.images if im.get_gid() == "weights:W"]
        drawn.append(np.asarray(image.get_array()))
    assert np.array_equal(drawn[0], drawn[1]) and np.array_equal(drawn[0], params["W"])


def test_the_canvas_is_fixed_so_the_chain_visibly_grows(params):
    limits = {unrolling.unrolled_cost_figure(T, params).axes[0].get_xlim() for T in (1, 8)}
    assert len(limits) == 1


def test_widget_has_a_described_length_slider_that_redraws(params):
    w = unrolling.unrolled_cost_widget(params, T=3)
    (slider,) = [c for c in w.children if isinstance(c, ipywidgets.IntSlider)]
    assert (slider.description, slider.value, slider.max) == (
        "length T (steps to unroll)",
        3,
        unrolling.MAX_T,
    )
    assert not slider.continuous_update
    slider.value = 6
    assert "6 × " in " ".join(texts(w.result))


def test_figure_rejects_a_length_off_the_canvas(params):
    with pytest.raises(ValueError, match="T must lie"):
        unrolling.unrolled_cost_figure(unrolling.MAX_T + 1, params)
