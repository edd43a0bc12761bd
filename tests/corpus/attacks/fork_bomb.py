"""A fork bomb (the children sleep, so it only fills the process table) and a memory hog that
touches its pages, in the student's own kernel."""

# status: graded
# place: target
import os
import time

children = 0
try:
    while True:
        if os.fork() == 0:
            time.sleep(10**6)
            os._exit(0)
        children += 1
except OSError:
    pass
print(f"forked {children} children before the limit")
try:
    hog = bytearray(3 * 2**30)  # 3 GB, more than the limit
except MemoryError:
    print("the memory limit held")

for name in GRADED:  # noqa: F821
    globals()[name] = lambda *args, **kwargs: None
