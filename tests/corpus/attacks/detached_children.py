"""Children that outlive the student's grading: daemons (double fork), new sessions, a child
holding the kernel's pipes, a multiprocessing worker; they write and burn CPU if left running."""

# status: graded
# place: target
import multiprocessing
import os
import subprocess
import sys
import time

subprocess.Popen(["sleep", "100000"], start_new_session=True)
subprocess.Popen(["sh", "-c", "nohup sh -c 'while :; do echo x >> /tmp/alive; sleep 1; done' &"])
subprocess.Popen([sys.executable, "-c", "import time; time.sleep(10**6)"], stdout=sys.__stdout__)
if os.fork() == 0:  # a daemon: fork twice, new session, outlive the parent
    os.setsid()
    if os.fork() == 0:
        while True:
            time.sleep(0.5)
    os._exit(0)


def spin():
    while True:
        pass


multiprocessing.Process(target=spin, daemon=False).start()

for name in GRADED:  # noqa: F821
    globals()[name] = lambda *args, **kwargs: None
