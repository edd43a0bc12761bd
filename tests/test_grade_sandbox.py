"""A student's kernel runs in a bubblewrap sandbox: it sees only its folder and the course's
environment, has no network, its own user and processes, limits, and dies whole when stopped."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import REPO
from rnncourse.grading import kernels, sandbox

LIMITS = sandbox.Limits(
    memory_bytes=2 * 2**30, processes=64, file_bytes=2**20, disk_bytes=4 * 2**20
)


def test_the_sandbox_sees_python_the_environment_and_the_package_but_not_the_repository():
    paths = sandbox.read_only_paths()
    assert str((REPO / "rnncourse").resolve()) in paths
    for path in paths:
        assert not (REPO.resolve() / "source").is_relative_to(path), path  # no parent of source/


def test_the_command_unshares_everything_and_drops_to_the_given_user():
    argv = sandbox.command(
        ["python"], connection_file="/x/k.json", limits=LIMITS, uid=1_900_000_002
    )
    for flag in (
        "--unshare-net",
        "--unshare-pid",
        "--unshare-ipc",
        "--die-with-parent",
        "--new-session",
        "--clearenv",
    ):
        assert flag in argv
    assert argv[argv.index("--ro-bind", argv.index("/x/k.json") - 1) + 2] == sandbox.CONNECTION
    setpriv = argv.index("setpriv")
    assert argv[setpriv + 1 : setpriv + 3] == ["--reuid=1900000002", "--regid=1900000002"]
    assert f"--nproc={LIMITS.processes}" in argv and f"--as={LIMITS.memory_bytes}" in argv
    assert argv[-1] == "python"
    unprivileged = sandbox.command(["python"], connection_file="/x/k.json", limits=LIMITS, uid=None)
    assert "--unshare-user" in unprivileged and "setpriv" not in unprivileged


def test_two_sandboxes_of_a_worker_never_share_a_user_id():
    block = sandbox.batch_uids(1234)
    confinement = sandbox.Confinement(True, root=True, uid_base=block.start)
    top = sandbox.MAX_WORKERS
    uids = {confinement.uid(worker, turn) for worker in (1, 2, top) for turn in (1, 2)}
    assert len(uids) == 6 and all(uid in block for uid in uids)
    with pytest.raises(ValueError, match="at most"):
        confinement.uid(top + 1, 1)
    assert sandbox.Confinement(False, "no bwrap").uid(1, 1) is None


def test_batches_graded_at_once_never_share_a_user_id():
    # every pid Linux can hand out gets a block of its own, below the largest user id (2**32 - 2)
    blocks = [sandbox.batch_uids(pid) for pid in (1, 2, 4321, sandbox.PID_LIMIT - 1)]
    assert all(a.stop <= b.start for a, b in zip(blocks, blocks[1:], strict=False))
    assert blocks[0].start >= sandbox.UID_BASE and blocks[-1].stop - 1 < 2**32 - 2
    probed = sandbox.probe(LIMITS)
    assert not probed.confined or probed.uid_base == sandbox.batch_uids().start


def test_an_unconfined_grader_says_so_and_says_how_to_fix_it(monkeypatch):
    monkeypatch.setattr(sandbox.shutil, "which", lambda name: None)
    confinement = sandbox.probe(LIMITS)
    assert not confinement.confined and "sudo apt-get install bubblewrap" in confinement.why
    assert confinement.describe(LIMITS).startswith("UNCONFINED")


CONFINED = sandbox.probe(LIMITS)
needs_bwrap = pytest.mark.skipif(not CONFINED.confined, reason=f"no sandbox here: {CONFINED.why}")

INSIDE = """
import errno, os, resource, socket, sys
found = {}
found["uid"] = os.getuid()
found["pids"] = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
found["sees"] = [p for p in %(secret)r if os.path.exists(p)]
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2)
    found["net"] = "connected"
except OSError as exc:
    found["net"] = "refused"
try:
    open("%(package)s/evil.py", "w")
    found["package"] = "written"
except OSError as exc:
    found["package"] = errno.errorcode[exc.errno]
try:
    with open("/w/fill", "wb") as fh:
        for _ in range(64):
            fh.write(bytes(2**19))
    found["fill"] = "no limit"
except OSError as exc:
    found["fill"] = errno.errorcode[exc.errno]
found["nproc"] = resource.getrlimit(resource.RLIMIT_NPROC)[0]
print(repr(found))
"""


@needs_bwrap
def test_code_in_the_sandbox_sees_nothing_of_the_course_and_cannot_reach_out(tmp_path):
    secret = [
        str(REPO / "source"),
        str(REPO / "tests"),
        str(REPO / "solutions"),
        str(tmp_path),
        "/root/.ssh",
    ]
    script = INSIDE % {"secret": secret, "package": Path(sandbox.__file__).parent}
    conn = tmp_path / "k.json"
    conn.write_text("{}")
    uid = CONFINED.uid(1, 1)
    argv = sandbox.command(
        [sys.executable, "-c", script], connection_file=str(conn), limits=LIMITS, uid=uid
    )
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    found = eval(done.stdout)  # noqa: S307 (our own script's repr of plain values)
    assert found["sees"] == [] and found["net"] == "refused"
    assert found["package"] in ("EROFS", "EACCES") and found["fill"] in ("ENOSPC", "EFBIG")
    assert found["pids"] == [1, 2] and found["nproc"] == LIMITS.processes
    if os.geteuid() == 0:
        assert found["uid"] == uid


@needs_bwrap
def test_stopping_a_sandbox_ends_every_process_it_started_even_detached_ones(tmp_path):
    box = kernels.start_sandbox(CONFINED, LIMITS, tmp_path, 1, worker=3)
    kc = box.client()
    try:
        kernels.run_sync(kc.wait_for_ready)(timeout=60)
        code = textwrap.dedent(
            """
            import subprocess
            subprocess.Popen(["sleep", "1000"], start_new_session=True)
            subprocess.Popen(["sh", "-c", "(sleep 1000 &) ; sleep 1000"], start_new_session=True)
            """
        )
        kernels.reply(kc, kc.execute(code), 30)
        time.sleep(0.5)
        inside = kernels.kernel_pid(box.km.init_pid)
        assert inside and box.alive()
    finally:
        kc.stop_channels()
        box.stop()
    assert not kernels.alive(box.km.init_pid) and not kernels.alive(inside)
    if os.geteuid() == 0:  # nothing at all runs as the sandbox's user any more
        left = [
            p
            for p in os.listdir("/proc")
            if p.isdigit() and _uid(p) == box.uid and kernels.alive(int(p))
        ]
        assert left == []


def _uid(pid: str) -> int | None:
    try:
        return os.stat(f"/proc/{pid}").st_uid
    except OSError:
        return None


def test_a_course_kept_under_tmp_stays_visible_in_the_sandbox(monkeypatch):
    # the private /tmp is mounted first, the course's read-only files over it
    monkeypatch.setattr(sandbox, "read_only_paths", lambda: ["/tmp/course/.venv"])
    argv = sandbox.command(["python"], connection_file="/x/k.json", limits=LIMITS, uid=None)
    tmpfs = argv.index("/tmp", argv.index("--tmpfs"))
    assert argv[tmpfs - 1] == "--tmpfs"
    course = argv.index("/tmp/course/.venv")
    assert argv[course - 1] == "--ro-bind" and course > tmpfs
