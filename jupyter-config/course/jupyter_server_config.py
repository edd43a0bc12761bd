"""Jupyter server settings for everyone who runs the course (`make lab`, `make lab-instructor`).

The Makefile puts this folder on ``JUPYTER_CONFIG_PATH``; nothing is installed into the user's
own Jupyter configuration.

- A notebook opens with the ``language_info`` this environment's kernel reports. JupyterLab writes
  the kernel's ``language_info`` into a notebook when the kernel starts and marks the notebook as
  modified unless the two are equal, Python version included; the notebooks are committed without
  the version (``rnncourse.notebooks.LANGUAGE_INFO``), so it is filled in here, on opening.
- No news feed and no update check: the course works offline.
"""

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager

from rnncourse.notebooks import with_kernel_language_info


class CourseContentsManager(AsyncLargeFileManager):
    """Jupyter's file manager; a notebook comes with the language_info its kernel will report."""

    async def get(self, path, content=True, type=None, format=None, **kwargs):
        model = await super().get(path, content=content, type=type, format=format, **kwargs)
        if model["type"] == "notebook" and model.get("content") is not None:
            with_kernel_language_info(model["content"])
        return model


c = get_config()  # noqa: F821  (provided by traitlets when it loads this file)
c.ServerApp.contents_manager_class = CourseContentsManager
c.LabApp.news_url = None
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
