"""Sleeps past every limit, deaf to interrupts: in a function the tests call."""

# status: timeout
# place: target
import signal
import time


def sleeper(*args, **kwargs):
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    time.sleep(10**6)


for name in GRADED:  # noqa: F821
    globals()[name] = sleeper
