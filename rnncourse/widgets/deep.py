"""Lecture 5's widget: the time x depth grid of a deep RNN, with sliders for depth and length."""

from __future__ import annotations

import ipywidgets as widgets

from .. import diagrams
from . import int_slider, interactive_figure

MAX_T = 8  # wider grids stop fitting on a laptop screen
MAX_L = 5


def grid_figure(T: int, L: int):
    """The grid of an ``L``-layer RNN unrolled over ``T`` steps, with what the grid implies.

    The caption counts what grows with the grid (hidden states to compute) and what does not (the
    weights: one ``U, W, b`` per layer, shared by every step), and the length of the paths that
    carry ``x_1`` to ``y_T``: every such path climbs ``L + 1`` arrows and moves right ``T - 1`` times.
    """
    fig = diagrams.grid(T, L)
    plural = lambda n: "s" if n != 1 else ""
    fig.supxlabel(  # a figure-level label, so the layout makes room for it
        f"{T * L} hidden state{plural(T * L)} to compute, but only {L} set{plural(L)} of weights"
        f" (U, W, b),\none per layer, shared by every step."
        f" Every path from $x_1$ to $y_{{{T}}}$ crosses {T + L} arrows:\n"
        f"{L + 1} up and {T - 1} to the right.",
        fontsize=9.5,
    )
    return fig


def grid_widget(T: int = 4, L: int = 3) -> widgets.interactive:
    """Two sliders, depth ``L`` and length ``T``, redraw the grid."""
    return interactive_figure(
        lambda depth, length: grid_figure(length, depth),
        depth=int_slider(L, 1, MAX_L, "depth L (layers)"),
        length=int_slider(T, 1, MAX_T, "length T (steps)"),
    )
