"""A command run in a network namespace of its own (``unshare --user --net``,
no privilege needed where user namespaces are allowed): its own loopback and
its own table of connections in TIME_WAIT, whose size can be set there --
nothing of this machine's network is read or changed, and what the command
leaves in TIME_WAIT is counted alone, whatever else runs on the machine.
"""

import functools
import json
import shutil
import subprocess
import sys

# Runs inside the namespace: brings its loopback up, sets the TIME_WAIT table's
# size if asked, runs the command in a session of its own (bounded), then
# prints one JSON line: the command's exit status and output, and what is
# left in TIME_WAIT.
_PRELUDE = r"""
import fcntl, json, os, signal, socket, struct, subprocess, sys
from asyncio_server_spec.reference import kernel

asked = json.loads(sys.argv[1])
SIOCGIFFLAGS, SIOCSIFFLAGS, IFF_UP = 0x8913, 0x8914, 0x1
with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as control:
    request = struct.pack("16sH14x", b"lo", 0)
    flags = struct.unpack("16sH14x", fcntl.ioctl(control, SIOCGIFFLAGS, request))[1]
    fcntl.ioctl(control, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", flags | IFF_UP))
if asked["tw_buckets"] is not None:
    with open("/proc/sys/net/ipv4/tcp_max_tw_buckets", "w") as setting:
        setting.write(str(asked["tw_buckets"]))
proc = subprocess.Popen(asked["command"], cwd=asked["cwd"], start_new_session=True,
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True)
try:
    output, _ = proc.communicate(timeout=asked["timeout"])
    returncode = proc.returncode
except subprocess.TimeoutExpired:
    os.killpg(proc.pid, signal.SIGKILL)
    output, _ = proc.communicate()
    returncode, output = -9, output + "\nkilled after %s s\n" % asked["timeout"]
print(json.dumps({"returncode": returncode, "output": output,
                  "time_wait": kernel.time_wait_count(),
                  "time_wait_connections": kernel.time_wait_connections("127.0.0.1")[:20]}))
"""


@functools.lru_cache(maxsize=None)
def available():
    """True if this machine lets an unprivileged process make a network namespace."""
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    try:
        probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def run_isolated(command, cwd, tw_buckets=None, timeout=300):
    """Run *command* (a list) in *cwd*, in a network namespace of its own
    whose TIME_WAIT table holds at most *tw_buckets* connections (None: the
    kernel's default).  Returns ``{"returncode", "output", "time_wait",
    "time_wait_connections"}``: what the command left in TIME_WAIT, counted
    once it has ended (the connections: those from 127.0.0.1, the first 20)."""
    asked = {"command": list(command), "cwd": cwd, "tw_buckets": tw_buckets, "timeout": timeout}
    proc = subprocess.run(
        ["unshare", "-rn", sys.executable, "-c", _PRELUDE, json.dumps(asked)],
        capture_output=True,
        text=True,
        timeout=timeout + 30,
        check=False,
    )
    lines = proc.stdout.strip().splitlines()
    assert proc.returncode == 0 and lines, f"the namespace's prelude failed: {proc.stderr[-2000:]}"
    return json.loads(lines[-1])
