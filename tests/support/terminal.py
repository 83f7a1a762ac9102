"""Run policylint with some of its standard streams on a real pseudo-terminal."""
from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from dataclasses import dataclass


@dataclass
class Outcome:
    code: int
    terminal: bytes  # everything written to the pseudo-terminal (echoed input included)
    stdout: bytes  # when stdout was a pipe
    stderr: bytes  # when stderr was a pipe


def policylint(*args: str, cwd: str, tty: tuple[str, ...] = ("stderr",), replies: list[tuple[str, str]] = (),
               columns: int = 100, timeout: float = 60) -> Outcome:
    """``python -m policylint ARGS`` with the streams named in ``tty`` on a terminal, the rest on pipes.

    ``replies`` are (text to wait for on the terminal, line to type), answered in order.
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}
    process = subprocess.Popen(
        [sys.executable, "-m", "policylint", *args], cwd=cwd, env=env,
        stdin=slave if "stdin" in tty else subprocess.DEVNULL,
        stdout=slave if "stdout" in tty else subprocess.PIPE,
        stderr=slave if "stderr" in tty else subprocess.PIPE,
        start_new_session=True,
    )
    os.close(slave)
    piped: dict[str, bytes] = {"stdout": b"", "stderr": b""}

    def drain(name: str) -> None:
        stream = getattr(process, name)
        piped[name] = stream.read() if stream else b""

    readers = [threading.Thread(target=drain, args=(n,)) for n in ("stdout", "stderr")]
    for reader in readers:
        reader.start()
    seen = b""
    pending = list(replies)
    answered_upto = 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: every holder of the terminal has closed it
                break
            if not chunk:
                break
            seen += chunk
        if pending and pending[0][0].encode() in seen[answered_upto:]:
            answered_upto = seen.index(pending[0][0].encode(), answered_upto) + 1
            os.write(master, pending.pop(0)[1].encode() + b"\n")
        if not ready and process.poll() is not None:
            break
    else:
        process.kill()
        raise AssertionError(f"policylint did not finish; terminal so far: {seen!r}")
    code = process.wait(timeout=timeout)
    for reader in readers:
        reader.join(timeout)
    os.close(master)
    return Outcome(code, seen, piped["stdout"], piped["stderr"])
