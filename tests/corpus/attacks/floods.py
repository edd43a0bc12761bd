"""Floods: the disk (one huge file, then many small ones, in every writable folder), the output
(printed, displayed, and in error messages), and results too large to carry."""

# status: graded
# place: target
import os
import sys

import numpy as np

for folder in (os.getcwd(), "/tmp", "/dev/shm", os.path.expanduser("~")):
    try:
        with open(os.path.join(folder, "flood.bin"), "wb") as fh:
            for _ in range(4096):
                fh.write(bytes(2**20))  # up to 4 GB
    except OSError:
        pass
    for i in range(2000):
        try:
            with open(os.path.join(folder, f"f{i}"), "w") as fh:
                fh.write("x" * 1000)
        except OSError:
            break
print("y" * 30_000_000)
sys.stderr.write("z" * 10_000_000)
os.write(1, b"w" * 10_000_000)
for i in range(20_000):
    print(i, end="\r")


def huge(*args, **kwargs):
    return np.ones((25, 1000, 1000))  # 200 MB: more than a result may carry


def deep(*args, **kwargs):
    value = []
    for _ in range(100_000):
        value = [value]
    return value


def loud(*args, **kwargs):
    print("v" * 10_000_000)
    raise ValueError("m" * 10_000_000)


for i, name in enumerate(GRADED):  # noqa: F821
    globals()[name] = (huge, deep, loud)[i % 3]
raise ValueError("e" * 20_000_000)
