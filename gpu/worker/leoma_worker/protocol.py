"""JSON lines over the process's stdin/stdout, with stdout kept for the protocol alone.

Libraries print (diffusers' progress bars, warnings, C extensions writing to fd 1); a stray line
on the protocol channel would be read as a message. So at start the real stdout is duplicated to a
private descriptor for the protocol and fd 1 is pointed at stderr, which the server logs.
"""
import json
import os
import sys
import threading


class Channel:
    def __init__(self):
        protocol_fd = os.dup(1)
        os.dup2(2, 1)
        sys.stdout = sys.stderr
        self._out = os.fdopen(protocol_fd, "w", buffering=1, encoding="utf-8")
        self._lock = threading.Lock()

    def send(self, event, **fields):
        line = json.dumps({"event": event, **fields}, separators=(",", ":"))
        with self._lock:
            self._out.write(line + "\n")
            self._out.flush()


def read_messages(stream):
    """Yields each stdin line as a dict; a line that is not a JSON object yields an error dict."""
    for raw in stream:
        raw = raw.strip()
        if not raw:
            continue
        try:
            message = json.loads(raw)
        except ValueError as err:
            yield {"op": "_invalid", "error": f"not JSON: {err}"}
            continue
        if not isinstance(message, dict):
            yield {"op": "_invalid", "error": "a message must be a JSON object"}
            continue
        yield message
