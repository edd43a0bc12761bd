"""Reaches out: the internet, the grader's ports on localhost, and every Unix socket it can see."""

# status: graded
# place: target
import json
import os
import socket
import stat

found = []
for host, port in [("1.1.1.1", 53), ("example.org", 80), ("127.0.0.1", 8888)]:
    try:
        socket.create_connection((host, port), timeout=1).close()
        found.append(f"{host}:{port}")
    except OSError:
        pass
for port in range(1, 65536, 97):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.05).close()
        found.append(f"127.0.0.1:{port}")
    except OSError:
        pass


def everywhere(skip=()):
    """Every file this kernel can see, outside /usr, /proc, /sys and Python's own folders."""
    import os
    import sys

    system = ("/usr", "/proc", "/sys", "/dev", sys.base_prefix, sys.prefix, *skip)
    for root, dirs, files in os.walk("/"):
        dirs[:] = [d for d in dirs if not os.path.join(root, d).startswith(system)]
        for name in files:
            yield os.path.join(root, name)


for path in everywhere(skip=(os.getcwd(),)):
    try:
        if stat.S_ISSOCK(os.stat(path).st_mode):
            client = socket.socket(socket.AF_UNIX)
            client.connect(path)
            found.append(path)
    except OSError:
        pass
print("ATTACK-FOUND", json.dumps(found))

for name in GRADED:  # noqa: F821
    globals()[name] = lambda *args, **kwargs: None
