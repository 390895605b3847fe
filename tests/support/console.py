"""`python bot.py console` as a long-running subprocess the test talks to line by line.

Unlike `support.processes.run_bot`, stdin stays open, so the test can act while the bot is
running (post a callback, kill it mid-push) and read stdout as it is written: a reader
thread timestamps every line with time.monotonic(), the same clock the fake reporting
system stamps its arrivals with.
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import IO

from bot.domain.reference import normalize_reference
from support.processes import REPO, bot_env, run_bot

_GROUPED = re.compile(r"\d{4} \d{4} \d{4}")


def reporting_env(
    db: Path,
    *,
    url: str | None = None,
    token: str = "",
    secret: str | None = None,
    port: int | None = None,
) -> dict[str, str]:
    """Every reporting and HTTP setting named explicitly (an empty value means unset), so
    neither the developer's shell nor a `.env` in the repository leaks into a test."""
    extra = {
        "REPORTING_URL": url or "",
        "REPORTING_TOKEN": token,
        "REPORTING_CALLBACK_SECRET": secret or "",
        "REPORTING_TIMEOUT_SECONDS": "10",
        "REPORTING_MAX_AGE_HOURS": "72",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_PORT": str(port or 0),
        "LOG_LEVEL": "INFO",
    }
    return bot_env(db, **extra)


def cli(db: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python bot.py *args` to completion with `env` (from `reporting_env`)."""
    extra = {name: value for name, value in env.items() if name.startswith(("REPORTING_", "HTTP"))}
    return run_bot(db, *args, **extra)


def reference_in_line(line: str) -> str | None:
    for match in _GROUPED.finditer(line):
        reference = normalize_reference(match.group(0))
        if reference is not None:
            return reference
    return None


class Console:
    """A running `bot.py console`; use as a context manager so pipes are always closed."""

    def __init__(self, env: dict[str, str], *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(REPO / "bot.py"), *(args or ("console",))],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self._changed = threading.Condition()
        self.stdout_lines: list[tuple[float, str]] = []
        self.stderr_lines: list[tuple[float, str]] = []
        assert self.process.stdout is not None and self.process.stderr is not None
        self._readers = [
            threading.Thread(target=self._pump, args=(pipe, lines), daemon=True)
            for pipe, lines in (
                (self.process.stdout, self.stdout_lines),
                (self.process.stderr, self.stderr_lines),
            )
        ]
        for reader in self._readers:
            reader.start()

    def _pump(self, pipe: IO[str], lines: list[tuple[float, str]]) -> None:
        for line in pipe:
            with self._changed:
                lines.append((time.monotonic(), line.rstrip("\n")))
                self._changed.notify_all()

    # --- talking ----------------------------------------------------------------------------

    def send(self, *lines: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("".join(f"{line}\n" for line in lines))
        self.process.stdin.flush()

    def close_stdin(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()

    def wait(self, timeout: float = 20.0) -> int:
        return self.process.wait(timeout=timeout)

    # --- reading ------------------------------------------------------------------------------

    @property
    def stdout(self) -> str:
        with self._changed:
            return "\n".join(line for _, line in self.stdout_lines)

    @property
    def stderr(self) -> str:
        with self._changed:
            return "\n".join(line for _, line in self.stderr_lines)

    def wait_for_line(
        self, match: Callable[[str], object], timeout: float = 10.0, *, stderr: bool = False
    ) -> tuple[float, str]:
        """The first line (with its arrival time) for which `match` is true; fails the
        test, showing what the bot printed, if none comes within `timeout` seconds."""
        lines = self.stderr_lines if stderr else self.stdout_lines
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for at, line in lines:
                    if match(line):
                        return at, line
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not self._alive()):
                    break
                self._changed.wait(min(left, 0.1))
        raise AssertionError(
            f"no matching line within {timeout} s.\nstdout:\n{self.stdout[-3000:]}\n"
            f"stderr:\n{self.stderr[-3000:]}"
        )

    def http_port(self) -> int:
        """The port the bot's HTTP server bound (it is started with HTTP_PORT=0)."""
        _, line = self.wait_for_line(lambda text: "HTTP server on" in text, stderr=True)
        return int(line.rsplit(":", 1)[1])

    def _alive(self) -> bool:
        return any(reader.is_alive() for reader in self._readers)

    def wait_for_reference(self, timeout: float = 10.0) -> tuple[float, str]:
        """When the reference number appeared on stdout, and the reference."""
        at, line = self.wait_for_line(reference_in_line, timeout)
        reference = reference_in_line(line)
        assert reference is not None
        return at, reference

    # --- ending -------------------------------------------------------------------------------

    def finish(self, timeout: float = 20.0) -> int:
        """Closes stdin (the console's Ctrl-D) and waits for a normal exit."""
        self.close_stdin()
        code = self.wait(timeout)
        for reader in self._readers:
            reader.join(timeout=5)
        return code

    def __enter__(self) -> Console:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        with suppress(OSError):  # the bot was killed: the pipe may be broken
            self.close_stdin()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)
        for reader in self._readers:
            reader.join(timeout=5)
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()


def run_console(lines: Sequence[str], env: dict[str, str]) -> tuple[int, str, str]:
    """A whole console session with `lines` piped in; (exit code, stdout, stderr)."""
    with Console(env) as bot:
        bot.send(*lines)
        code = bot.finish()
        return code, bot.stdout, bot.stderr
