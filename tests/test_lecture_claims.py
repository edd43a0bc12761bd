"""Claims a lecture makes about experiments too long to repeat inside the lecture itself.

A lecture asserts what it computes; when its prose reports a wider experiment (more seeds than the
lecture's time budget allows), the experiment is rerun here with the lecture's own code: the
lecture's cells up to the point where the claim is made, then a probe cell.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from conftest import REPO
from rnncourse import notebooks

LECTURE_7 = REPO / "lectures" / "07-the-trouble-with-long-memory.ipynb"


def _run_until(path, first_line: str, probe: str) -> dict:
    """Run ``path``'s cells before the code cell that starts with ``first_line``, then ``probe``,
    which prints one JSON object; returns that object."""
    nb = notebooks.read(path)
    cut = next(
        i
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and cell.source.startswith(first_line)
    )
    nb.cells = nb.cells[:cut] + [nbformat.v4.new_code_cell(probe)]
    executed = notebooks.execute(path, nb=nb)
    (out,) = [o for o in executed.cells[-1].outputs if o.get("name") == "stdout"]
    return json.loads(out.text)


@pytest.mark.slow
@pytest.mark.notebook
def test_lecture_7_the_recall_cliff_depends_on_the_seed_as_its_prose_says():
    # Lecture 7 section 5: "gap 10 was learned by all five networks, gap 20 by two (seeds 0 and
    # 4), gap 30 by one (seed 4) and gap 40 by none", for INIT_SEED = 0 to 4.
    probe = """
import json
learned = {}
for gap in (10, 20, 30, 40):
    learned[gap] = []
    for INIT_SEED in range(5):  # train() reads the global, as the lecture invites a student to
        if accuracy(train(gap)[0], gap) > 0.9:
            learned[gap].append(INIT_SEED)
print(json.dumps(learned))
"""
    learned = _run_until(LECTURE_7, "results = {}", probe)
    assert learned == {"10": [0, 1, 2, 3, 4], "20": [0, 4], "30": [4], "40": []}


LECTURE_8 = REPO / "lectures" / "08-gated-memory-gru-and-lstm.ipynb"


@pytest.mark.slow
@pytest.mark.notebook
def test_lecture_8_the_gru_recalls_and_the_vanilla_rnn_does_not_for_every_seed_tried():
    # Lecture 8 section 8: "Change INIT_SEED and the picture stays the same (we tried seeds 1 to 4)".
    probe = """
import json
accuracies = {}
for INIT_SEED in range(1, 5):  # new_model() reads the global, as the lecture invites
    for label, (cell, gates, biases) in runs.items():
        model = new_model(gates, biases)
        train(cell, model)
        accuracies.setdefault(label, []).append(recall_loss(cell, model, x_test, y_test)[1])
print(json.dumps(accuracies))
"""
    accuracies = _run_until(LECTURE_8, "fig, (ax,) = plots.figure(figsize=(9, 4))", probe)
    assert min(accuracies["GRU, b_z = -3"]) > 0.9
    assert max(accuracies["vanilla RNN"]) < 0.6
