"""The grader's feedback exporter writes the document nbconvert's HTML exporter writes.

:class:`~rnncourse.grading.internals.FeedbackExporter` skips nbconvert's accessibility pass
(a BeautifulSoup parse and re-serialisation of the whole page) when the page has nothing that
pass changes: no image and no JupyterLab-style cell. Then the page differs from nbconvert's only
in spelling, so parsing it gives nbconvert's text exactly; otherwise it is nbconvert's, byte for
byte.
"""

from __future__ import annotations

import base64

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbconvert.exporters import HTMLExporter
from traitlets.config import Config

from rnncourse.grading.internals import FeedbackExporter

PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()


def notebook(*, image: bool) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    code = nbformat.v4.new_code_cell(
        "def ewma(x, alpha):\n    return x < 1 and 'a' or \"b\"  # <&>"
    )
    code.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="a < b & c > d\n"),
        nbformat.v4.new_output(
            "error", ename="AssertionError", evalue="the state is not carried <here>",
            traceback=["AssertionError: the state is not carried <here>"],
        ),
    ]  # fmt: skip
    if image:
        code.outputs.append(nbformat.v4.new_output("display_data", data={"image/png": PNG}))
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Exercise\nSome *markdown*, `code` & <b>html</b>.<br>"),
        code,
    ]
    return nb


def export(cls, nb, template: str) -> str:
    config = Config()
    config.HTMLExporter.template_name = template
    html, _ = cls(config=config).from_notebook_node(nb)
    return html


def test_a_page_without_images_is_nbconvert_s_document():
    nb = notebook(image=False)
    ours, theirs = export(FeedbackExporter, nb, "classic"), export(HTMLExporter, nb, "classic")
    assert "<img" not in ours and "the state is not carried &lt;here&gt;" in ours
    assert str(BeautifulSoup(ours, features="html.parser")) == theirs


@pytest.mark.parametrize(("image", "template"), [(True, "classic"), (False, "lab"), (True, "lab")])
def test_a_page_the_accessibility_pass_changes_is_nbconvert_s_page(image, template):
    nb = notebook(image=image)
    ours = export(FeedbackExporter, nb, template)
    assert ours == export(HTMLExporter, nb, template)
    if image:
        assert 'alt="No description has been provided for this image"' in ours
