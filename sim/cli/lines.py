"""Where command lines come from: stdin read without blocking the simulation, or a
script file read at once. Both offer `poll(timeout_s)` -> the complete lines that
arrived, and `open` (False once the input has ended)."""

import os
import select
import time


class StreamLines:
    """Complete lines from a stream without blocking: reads the file descriptor itself,
    so lines piped in together are all seen (a TextIO buffer would hide them from
    select). Once the input has ended, `poll` just lets the timeout pass."""

    def __init__(self, stream):
        self._fd = stream.fileno()
        self._pending = b""
        self.open = True

    def poll(self, timeout_s):
        """The complete lines that arrived within `timeout_s` (may be empty)."""
        if not self.open:
            time.sleep(timeout_s)
            return []
        if b"\n" not in self._pending:
            ready, _, _ = select.select([self._fd], [], [], timeout_s)
            if ready:
                chunk = os.read(self._fd, 4096)
                if chunk:
                    self._pending += chunk
                else:
                    self.open = False
                    self._pending += b"\n"
        *lines, self._pending = self._pending.split(b"\n")
        return [line.decode("utf-8", "replace") for line in lines]


class ScriptLines:
    """The lines of a script file (or any list of lines), all at once."""

    def __init__(self, lines):
        self._lines = list(lines)
        self.open = True

    @classmethod
    def from_file(cls, path):
        """The script at `path`; ValueError with a clear message when it cannot be read."""
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError as exc:
            raise ValueError(f"cannot read the script {path}: {exc.strerror}") from None
        return cls(data.decode("utf-8", "replace").splitlines())

    def poll(self, timeout_s):
        lines, self._lines = self._lines, []
        self.open = False
        return lines
