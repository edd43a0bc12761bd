"""Looks for the hidden tests, the solutions, the gradebook and other students' notebooks
anywhere it can read: the repository, the grader's folders, /proc, the environment."""

# status: graded
# place: target
import glob
import json
import os

import rnncourse


def everywhere(skip=()):
    """Every file this kernel can see, outside /usr, /proc, /sys and Python's own folders."""
    import os
    import sys

    system = ("/usr", "/proc", "/sys", "/dev", sys.base_prefix, sys.prefix, *skip)
    for root, dirs, files in os.walk("/"):
        dirs[:] = [d for d in dirs if not os.path.join(root, d).startswith(system)]
        for name in files:
            yield os.path.join(root, name)


found = []
own = (os.getcwd(), os.path.expanduser("~"), "/tmp", "/dev/shm", "/run/kernel.json")
mine = {"self", "thread-self", str(os.getpid())}
for path in everywhere(skip=own):
    if path.startswith(own):
        continue
    if (
        path.endswith((".ipynb", ".db", ".csv", ".html", ".json", ".ipynb_checkpoints"))
        or "nbgrader" in path
    ):
        found.append(path)
repository = os.path.dirname(os.path.dirname(rnncourse.__file__))
for part in ("source", "solutions", "tests", "exercises", "grades", "nbgrader_config.py", ".git"):
    if os.path.exists(os.path.join(repository, part)):
        found.append(os.path.join(repository, part))
for pattern in ("/proc/*/environ", "/proc/*/cmdline", "/proc/*/cwd/*", "/proc/*/root/*"):
    for path in glob.glob(pattern):
        if path.split("/")[2] in mine:
            continue
        try:
            with open(path, "rb") as fh:
                text = fh.read(100_000)
        except OSError:
            continue
        if any(
            word in text
            for word in (b"BEGIN HIDDEN", b"gradebook", b"rnncourse-grade", b"submitted")
        ):
            found.append(path)
for key, value in os.environ.items():
    if "grade" in value or "submitted" in value:
        found.append(f"${key}")
print("ATTACK-FOUND", json.dumps(sorted(found)[:20]))

for name in GRADED:  # noqa: F821
    globals()[name] = lambda *args, **kwargs: None
