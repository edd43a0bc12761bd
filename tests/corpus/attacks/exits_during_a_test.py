"""Functions that end the kernel while a test calls them, and a kernel that ignores signals."""

# status: crashed
# place: target
import os
import signal

for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1):
    signal.signal(sig, signal.SIG_IGN)


def leave(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)


for name in GRADED:  # noqa: F821
    globals()[name] = leave
