"""The grader's kernels: ipykernel's own launcher, without the debugger.

At start-up ipykernel imports debugpy to offer JupyterLab's debugger: a fifth of the CPU a
kernel takes to start, and the grader starts one kernel per student. Nobody debugs a kernel the
grader runs, so this launcher has ipykernel find no debugpy. Everything else is ipykernel's
``ipykernel_launcher``: the same kernel, the same options. (A student's own ``import debugpy``
fails while grading, as it would on a machine without it.)

Usage: ``python -m rnncourse.grading.launch -f CONNECTION_FILE [ipykernel options]``.
"""

import sys

if __name__ == "__main__":
    sys.modules["debugpy"] = None  # an import of it fails: ipykernel starts without a debugger
    from ipykernel import kernelapp

    kernelapp.launch_new_instance()
