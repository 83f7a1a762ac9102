"""A minimal LSP client for tests: JSON-RPC with Content-Length framing over a subprocess's pipes.

Every wait has a timeout, so a server that hangs fails the test instead of blocking it.
"""
from __future__ import annotations

import json
import queue
import re
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any, BinaryIO

TIMEOUT = 20.0


class ServerGone(AssertionError):
    """The server closed its output before the message we waited for arrived."""


class LspClient:
    """Speaks to one language server process; collects what it sends, answers what it asks."""

    def __init__(self, args: list[str], cwd: str | None = None, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, cwd=cwd, env=env)
        self._inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.received: list[dict[str, Any]] = []  # every message, in order, for assertions
        self._pending: list[dict[str, Any]] = []  # received but not yet taken by a wait
        self._stderr: list[bytes] = []
        self._next_id = 0
        assert self.process.stdout is not None and self.process.stderr is not None
        threading.Thread(target=self._read, args=(self.process.stdout,), daemon=True).start()
        threading.Thread(target=self._drain, args=(self.process.stderr,), daemon=True).start()

    # -- wire

    def _read(self, stream: BinaryIO) -> None:
        try:
            while True:
                length = None
                while True:
                    header = stream.readline()
                    if not header:
                        return
                    header = header.strip()
                    if not header:
                        break
                    name, _, value = header.decode("ascii").partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value)
                if length is None:
                    raise AssertionError("message without Content-Length")
                body = stream.read(length)
                if len(body) < length:
                    return
                self._inbox.put(json.loads(body.decode("utf-8")))
        finally:
            self._inbox.put(None)

    def _drain(self, stream: BinaryIO) -> None:
        for chunk in iter(lambda: stream.read(4096), b""):
            self._stderr.append(chunk)

    @property
    def stderr(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    # -- protocol

    def notify(self, method: str, params: Any = None) -> None:
        self.send({"method": method, "params": params} if params is not None else {"method": method})

    def request(self, method: str, params: Any = None, timeout: float = TIMEOUT) -> Any:
        """Send a request and return its result; an error response fails the test."""
        self._next_id += 1
        request_id = self._next_id
        message: dict[str, Any] = {"id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        reply = self.wait(lambda m: m.get("id") == request_id and "method" not in m, timeout,
                          f"a reply to {method}")
        assert "error" not in reply, f"{method} failed: {reply['error']}"
        return reply.get("result")

    def wait(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = TIMEOUT,
             what: str = "a message") -> dict[str, Any]:
        """The first not yet taken message that matches; earlier non-matching ones stay pending."""
        for index, pending in enumerate(self._pending):
            if predicate(pending):
                return self._pending.pop(index)
        # One deadline for the whole wait: a chatty server must not stretch it.
        deadline = time.monotonic() + timeout
        while True:
            try:
                message = self._inbox.get(timeout=max(deadline - time.monotonic(), 0.001))
            except queue.Empty:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}; "
                                     f"stderr:\n{self.stderr}") from None
            if message is None:
                self._inbox.put(None)  # later waits see the end too
                raise ServerGone(f"the server closed its output while we waited for {what}; "
                                 f"stderr:\n{self.stderr}")
            self.received.append(message)
            if "method" in message and "id" in message:
                # A request from the server (e.g. registerCapability): accept it.
                self.send({"id": message["id"], "result": None})
                continue
            if predicate(message):
                return message
            self._pending.append(message)

    def diagnostics(self, uri: str, timeout: float = TIMEOUT) -> dict[str, Any]:
        """The params of the next publishDiagnostics for ``uri``."""
        message = self.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri, timeout, f"diagnostics for {uri}")
        params: dict[str, Any] = message["params"]
        return params

    def close(self) -> None:
        """Kill the server if a test left it running."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=TIMEOUT)
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()


def apply_edits(text: str, edits: list[dict[str, Any]]) -> str:
    """Apply LSP TextEdits (UTF-16 positions) to ``text``, as an editor would."""
    def offset(position: dict[str, int]) -> int:
        # Lines end at \r\n, \r or \n only, as LSP defines them.
        lines = re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text) or [""]
        index = sum(len(line) for line in lines[: position["line"]])
        line = lines[position["line"]] if position["line"] < len(lines) else ""
        units = 0
        for chars, char in enumerate(line):
            if units >= position["character"]:
                return index + chars
            units += 2 if ord(char) > 0xFFFF else 1
        return index + len(line.rstrip("\r\n"))

    for edit in sorted(edits, key=lambda e: (e["range"]["start"]["line"], e["range"]["start"]["character"]),
                       reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text
