"""Serving HTTP to the internet without letting slow or idle clients hold it hostage.

aiohttp has no time limit on reading a request's head: a client that sends a byte a
second holds its connection, and a few hundred of them exhaust the process's file
descriptors, after which no webhook, health check or database file can be opened. This
site wraps each connection: its request head must be complete within `head_seconds` of
connecting (and of the previous head, for the next request on a kept-alive connection,
within `request_seconds`); at `max_connections`, a new connection pushes out the oldest
one still waiting for its head (an honest client sends its head at once, a slow one
never finishes it), and is itself refused only when every connection is busy with a
real request. Accept errors (out of descriptors) are logged at most every 10 seconds.
Bodies are read by the handlers with their own caps and time limits. The TLS proxy in
front should enforce the same (docs/DEPLOY.md); this is the bot's own line of defence.
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from typing import cast

from aiohttp import web

log = logging.getLogger(__name__)

_HEAD_END = b"\r\n\r\n"


class ConnectionGuard:
    """The limits, and the connections open now."""

    def __init__(
        self, *, head_seconds: float, request_seconds: float, max_connections: int
    ) -> None:
        self.head_seconds = head_seconds
        self.request_seconds = request_seconds
        self.max_connections = max_connections
        self.open = 0
        self.refused = 0
        self.timed_out = 0
        self.evicted = 0
        self.waiting: dict[_GuardedProtocol, None] = {}  # no complete head yet, oldest first
        self._last_warning = 0.0

    def admit(self, connection: _GuardedProtocol) -> bool:
        """Room for a new connection: free, or made by pushing out the oldest connection
        still waiting for its head; False when every connection is busy."""
        if self.open >= self.max_connections and self.waiting:
            oldest = next(iter(self.waiting))
            self.evicted += 1
            self.note("connections at the limit: the slowest ones are pushed out")
            oldest.drop()
        if self.open >= self.max_connections:
            self.refused += 1
            self.note("connections at the limit, all busy: new ones are closed at once")
            return False
        self.open += 1
        self.waiting[connection] = None
        return True

    def note(self, message: str) -> None:
        """A warning at most every 10 seconds: under attack the log must not explode."""
        now = time.monotonic()
        if now - self._last_warning >= 10.0:
            self._last_warning = now
            log.warning(
                "%s (so far: %d refused and %d pushed out at the limit of %d, %d too slow)",
                message, self.refused, self.evicted, self.max_connections, self.timed_out,
            )  # fmt: skip


class _GuardedProtocol(asyncio.Protocol):
    """aiohttp's protocol for one connection, with a deadline for each request head."""

    def __init__(self, inner: asyncio.Protocol, guard: ConnectionGuard) -> None:
        self.inner = inner
        self.guard = guard
        self.transport: asyncio.Transport | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.tail = b""
        self.counted = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)
        if not self.guard.admit(self):
            self.transport.abort()
            return
        self.counted = True
        self._deadline(self.guard.head_seconds)
        self.inner.connection_made(transport)

    def drop(self) -> None:
        self.guard.waiting.pop(self, None)
        if self.transport is not None:
            self.transport.abort()

    def _deadline(self, seconds: float) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.timer = asyncio.get_running_loop().call_later(seconds, self._too_slow)

    def _too_slow(self) -> None:
        self.guard.timed_out += 1
        self.guard.note("a client too slow to send its request was disconnected")
        self.drop()

    def data_received(self, data: bytes) -> None:
        window = self.tail + data
        if _HEAD_END in window:  # a request head is complete: time for body and next head
            self._deadline(self.guard.request_seconds)
            self.guard.waiting.pop(self, None)
        self.tail = window[-3:]
        self.inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self.inner.eof_received()

    def connection_lost(self, error: Exception | None) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.guard.waiting.pop(self, None)
        if self.counted:
            self.counted = False
            self.guard.open -= 1
            self.inner.connection_lost(error)

    def pause_writing(self) -> None:
        self.inner.pause_writing()

    def resume_writing(self) -> None:
        self.inner.resume_writing()


class GuardedSite(web.TCPSite):
    """A TCP site whose connections go through a `ConnectionGuard`."""

    def __init__(self, runner: web.AppRunner, host: str, port: int, guard: ConnectionGuard) -> None:
        super().__init__(runner, host, port)
        self.guard = guard

    async def start(self) -> None:
        await web.BaseSite.start(self)
        server = self._runner.server
        assert server is not None
        guard = self.guard

        def protocol() -> asyncio.Protocol:
            return _GuardedProtocol(cast(asyncio.Protocol, server()), guard)

        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(protocol, self._host, self._port)


def raise_open_file_limit() -> int:
    """The soft limit on open files raised to the hard one (often 1,024 → 1,048,576);
    returns the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
            soft = hard
        except (ValueError, OSError):
            pass
    return soft


class _RateLimitedAcceptErrors(logging.Filter):
    """asyncio logs every failed accept(); out of descriptors that is thousands a second."""

    def __init__(self) -> None:
        super().__init__()
        self._last = 0.0
        self._suppressed = 0

    def filter(self, record: logging.LogRecord) -> bool:
        if "accept" not in record.getMessage():
            return True
        now = time.monotonic()
        if now - self._last < 10.0:
            self._suppressed += 1
            return False
        if self._suppressed:
            record.msg = f"{record.msg} ({self._suppressed} more like it not logged)"
        self._last, self._suppressed = now, 0
        return True


def quiet_accept_errors() -> None:
    logging.getLogger("asyncio").addFilter(_RateLimitedAcceptErrors())
