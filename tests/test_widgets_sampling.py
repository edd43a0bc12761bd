"""Lecture 9's temperature figure draws exactly the distribution and the sample it is given."""

from __future__ import annotations

import ipywidgets
import numpy as np
import pytest

from rnncourse import plots
from rnncourse.widgets import sampling

VOCAB = ["\n", " ", "a", "b", "c"]
LOGITS = np.array([0.5, 2.0, 1.0, -1.0, 0.0])


def softmax(z, temperature=1.0):
    e = np.exp((z - z.max()) / temperature)
    return e / e.sum()


def probabilities(temperature):
    return softmax(LOGITS, temperature)


def fake_sample(temperature, seed, length):
    return f"T{temperature:.2f}-s{seed}-n{length}\nline two"


def bar_heights(fig):
    return np.array([patch.get_height() for patch in fig.axes[0].patches])


@pytest.mark.parametrize("temperature", [0.25, 1.0, 1.7])
def test_bars_are_softmax_of_logits_over_temperature(temperature):
    fig = sampling.temperature_figure(probabilities, fake_sample, VOCAB, temperature, seed=3)
    assert np.allclose(bar_heights(fig), softmax(LOGITS, temperature), rtol=0, atol=1e-15)
    # the T = 1 reference marks stay the model's own distribution whatever the slider says
    assert np.allclose(fig.axes[0].lines[0].get_ydata(), softmax(LOGITS, 1.0))
    assert plots.unlabelled_axes(fig) == []


def test_low_temperature_concentrates_and_high_temperature_flattens():
    cold = bar_heights(sampling.temperature_figure(probabilities, fake_sample, VOCAB, 0.1, 0))
    warm = bar_heights(sampling.temperature_figure(probabilities, fake_sample, VOCAB, 1.0, 0))
    hot = bar_heights(sampling.temperature_figure(probabilities, fake_sample, VOCAB, 2.0, 0))
    assert cold.argmax() == warm.argmax() == hot.argmax() == 1  # the favourite never changes
    assert cold.max() > 0.99 > warm.max() > hot.max()
    entropy = [-(p * np.log(p)).sum() for p in (cold, warm, hot)]
    assert entropy[0] < entropy[1] < entropy[2] < np.log(len(VOCAB))


def test_title_states_the_effect_and_the_favourite_character():
    fig = sampling.temperature_figure(probabilities, fake_sample, VOCAB, 0.5, 0, context="x ")
    title = fig.axes[0].get_title()
    assert "sharpens" in title and "'␣'" in title  # the space is the favourite, drawn visibly
    hot = sampling.temperature_figure(probabilities, fake_sample, VOCAB, 1.5, 0)
    assert "flattens" in hot.axes[0].get_title()
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks == ["↵", "␣", "a", "b", "c"]
    assert fig.axes[0].get_xlabel() == 'next character after "x "'


def test_sample_panel_shows_what_the_sampler_returned_for_these_arguments():
    fig = sampling.temperature_figure(probabilities, fake_sample, VOCAB, 0.75, seed=7, length=42)
    ax_text = fig.axes[1]
    assert [t.get_text() for t in ax_text.texts] == ["T0.75-s7-n42\nline two"]
    assert "seed 7" in ax_text.get_title(loc="left")


def test_long_sample_lines_are_wrapped_for_display_only():
    text = "x" * 250 + "\nshort"
    wrapped = sampling.wrap_lines(text, width=100)
    assert wrapped.split("\n") == ["x" * 100, "x" * 100, "x" * 50, "short"]
    assert wrapped.replace("\n", "") == text.replace("\n", "")


def test_figure_rejects_bad_temperatures_and_bad_distributions():
    with pytest.raises(ValueError, match="positive"):
        sampling.temperature_figure(probabilities, fake_sample, VOCAB, 0.0, 0)
    with pytest.raises(ValueError, match="shape"):
        sampling.temperature_figure(lambda t: np.ones(3) / 3, fake_sample, VOCAB, 1.0, 0)
    with pytest.raises(ValueError, match="probability distribution"):
        sampling.temperature_figure(lambda t: LOGITS, fake_sample, VOCAB, 1.0, 0)


def test_widget_sliders_redraw_with_the_chosen_temperature_and_seed():
    calls = []

    def recording_sample(temperature, seed, length):
        calls.append((temperature, seed, length))
        return "sample"

    w = sampling.temperature_widget(probabilities, recording_sample, VOCAB, length=30)
    temperature = next(c for c in w.children if isinstance(c, ipywidgets.FloatSlider))
    seed = next(c for c in w.children if isinstance(c, ipywidgets.IntSlider))
    assert (temperature.min, temperature.max, temperature.value) == (0.1, 2.0, 1.0)
    assert not temperature.continuous_update and not seed.continuous_update
    assert (temperature.description, seed.description) == (
        "sampling temperature T",
        "random seed of the sample",
    )
    temperature.value = 1.5
    seed.value = 4
    assert calls[-1] == (1.5, 4, 30)
