"""Run a function in a forked child whose memory and time are bounded.

Parsing an uploaded file is the one thing a web process or a worker does with input it does not
control: a crafted file that slips past the checks must cost one short-lived child, never the
process serving every organisation. ``run_bounded`` forks, lowers the child's address-space limit
(``RLIMIT_AS``: an allocation past it fails instead of exhausting the machine), runs the function
there and sends its result (or its exception) back through a pipe, pickled. No Django here: the
import engine uses it.
"""

from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import select
import signal
import time

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


class BoundExceeded(Exception):
    """The child went past a bound: ``reason`` is "memory" (allocation refused, or the child died of
    it) or "time" (killed after the timeout)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def run_bounded(function, /, *args, memory_bytes: int, timeout_seconds: float, **kwargs):
    """``function(*args, **kwargs)`` computed in a forked child allowed ``memory_bytes`` of address
    space beyond the parent's current one and ``timeout_seconds`` of wall time.

    Returns what the function returns and raises what it raises (both must pickle); raises
    ``BoundExceeded`` when the child runs out of memory, dies, or runs out of time. The function
    must not use the parent's open connections (database, broker): the child shares them."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(write_end, function, args, kwargs, memory_bytes)
    os.close(write_end)
    try:
        data = _read_until(read_end, pid, time.monotonic() + timeout_seconds)
    finally:
        os.close(read_end)
    _pid, status = os.waitpid(pid, 0)
    if not data or os.WIFSIGNALED(status) or os.WEXITSTATUS(status) != 0:
        raise BoundExceeded("memory")
    kind, value = pickle.loads(data)
    if kind == "memory":
        raise BoundExceeded("memory")
    if kind == "raised":
        raise value
    return value


def _child(write_end: int, function, args, kwargs, memory_bytes: int) -> None:
    status = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        faulthandler.disable()  # a refused allocation aborts the child: that is the parent's to report
        in_use = int(open("/proc/self/statm").read().split()[0]) * _PAGE_SIZE
        resource.setrlimit(resource.RLIMIT_AS, (in_use + memory_bytes, in_use + memory_bytes))
        try:
            outcome = ("returned", function(*args, **kwargs))
        except MemoryError:
            outcome = ("memory", None)
        except Exception as exc:  # sent to the parent, which raises it
            outcome = ("raised", exc)
        data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        del outcome
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(data)
        status = 0
    finally:
        os._exit(status)  # no atexit, no finalizers: the parent's connections stay the parent's


def _read_until(read_end: int, pid: int, deadline: float) -> bytes:
    """Everything the child writes, until it closes the pipe; past `deadline` the child is killed."""
    parts = []
    while True:
        left = deadline - time.monotonic()
        ready, _w, _x = select.select([read_end], [], [], max(left, 0))
        if not ready:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise BoundExceeded("time")
        part = os.read(read_end, 1 << 20)
        if not part:
            return b"".join(parts)
        parts.append(part)
