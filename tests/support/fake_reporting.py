"""A fake reporting system that keeps the contract of docs/reporting-api.md, so the bot's
pushes can be tested over real HTTP on loopback without mocking any of our own code.

It records every `POST /complaints` (headers, raw and parsed body, arrival time), stores
each version once under (`Idempotency-Key`, `body["version"]`) and answers 409 for a
version it already has, checks `Authorization: Bearer <token>`, and can be scripted to
answer other status codes or to answer slowly (an outage, a rejected complaint, a reply
that never arrives because the bot died).

Two ways to run it: `await fake.start()` in the test's own event loop, or
`serve_in_thread(fake)` for tests that drive the bot as a subprocess and need the fake to
answer while the test thread blocks on pipes.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from multidict import CIMultiDict


@dataclass
class Received:
    """One request as it arrived, and what the fake answered."""

    headers: CIMultiDict[str]
    raw: bytes
    body: Any
    at: float  # time.monotonic() at arrival, comparable with the test's own timestamps
    status: int = 0  # 0 until the answer is decided

    @property
    def key(self) -> str | None:
        return self.headers.get("Idempotency-Key")

    @property
    def version(self) -> int | None:
        version = self.body.get("version") if isinstance(self.body, dict) else None
        return version if isinstance(version, int) else None

    @property
    def reference(self) -> str | None:
        reference = self.body.get("reference") if isinstance(self.body, dict) else None
        return reference if isinstance(reference, str) else None


@dataclass(frozen=True)
class Reply:
    """A scripted answer. `status=None` keeps the contract behaviour (store, or 409 for a
    version already stored) and only adds `delay` seconds before answering."""

    status: int | None = None
    delay: float = 0.0


Responder = Callable[[Received], "Reply | int | None"]


def in_sequence(*replies: Reply | int) -> Responder:
    """Answers the given replies to the first requests, then behaves normally."""
    queue = list(replies)
    lock = threading.Lock()

    def respond(_: Received) -> Reply | int | None:
        with lock:
            return queue.pop(0) if queue else None

    return respond


def refusing(references: Iterable[str], status: int = 400) -> Responder:
    """Answers `status` for any complaint with one of `references`."""
    refused = set(references)

    def respond(request: Received) -> Reply | int | None:
        return status if request.reference in refused else None

    return respond


@dataclass
class FakeReportingSystem:
    token: str = "fake-reporting-token"
    responder: Responder | None = None
    requests: list[Received] = field(default_factory=list)
    stored: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)
    # A version sent again with a different body: the bot broke "a version is a snapshot".
    conflicts: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._changed = threading.Condition()
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None
        self.port = 0

    # --- running ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self.port, "the fake is not started"
        return f"http://127.0.0.1:{self.port}"

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/complaints", self._complaints)
        return app

    async def start(self) -> None:
        self._closing = asyncio.Event()
        self._runner = web.AppRunner(self.app(), shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        if self._closing is not None:
            self._closing.set()  # cut scripted delays short so shutdown does not wait
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- reading what arrived -------------------------------------------------------------

    def posts(self, reference: str | None = None, version: int | None = None) -> list[Received]:
        """Requests received so far, optionally only those of one reference / version."""
        with self._changed:
            return [
                r
                for r in self.requests
                if (reference is None or r.key == reference)
                and (version is None or r.version == version)
            ]

    def versions(self, reference: str) -> list[int]:
        """Versions stored for `reference`, ascending."""
        with self._changed:
            return sorted(version for key, version in self.stored if key == reference)

    def wait_for(self, predicate: Callable[[], object], timeout: float) -> bool:
        """Blocks the calling (test) thread until `predicate()` holds; False on timeout.
        For a fake served in a thread; predicates may call `posts` and `versions`."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate():
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.1))
        return True

    async def arrival(self, predicate: Callable[[], object], timeout: float) -> bool:
        """`wait_for` for a fake running in the test's own event loop."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() >= deadline:
                return False
            await asyncio.sleep(0.01)
        return True

    # --- answering ----------------------------------------------------------------------------

    async def _complaints(self, request: web.Request) -> web.Response:
        raw = await request.read()
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = None
        received = Received(CIMultiDict(request.headers), raw, body, time.monotonic())
        scripted = self._scripted(received)
        with self._changed:
            self.requests.append(received)
            if scripted.status is None:
                status, answer = self._accept(received)
            else:
                status, answer = scripted.status, {"error": f"scripted {scripted.status}"}
            received.status = status
            self._changed.notify_all()
        if scripted.delay:
            await self._pause(scripted.delay)
        return web.json_response(answer, status=status)

    def _scripted(self, received: Received) -> Reply:
        answer = self.responder(received) if self.responder is not None else None
        if answer is None:
            return Reply()
        return Reply(status=answer) if isinstance(answer, int) else answer

    def _accept(self, received: Received) -> tuple[int, dict[str, Any]]:
        """What a correct receiver does; the caller holds the lock."""
        if received.headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {"error": "bad token"}
        key, version = received.key, received.version
        if not isinstance(received.body, dict) or not key or version is None:
            return 400, {"error": "need a JSON object, Idempotency-Key and version"}
        if (key, version) in self.stored:
            if self.stored[key, version] != received.body:
                self.conflicts.append(received)
            return 409, {"error": "version already received"}
        self.stored[key, version] = received.body
        return 201, {"id": f"RS-{len(self.stored)}"}

    async def _pause(self, seconds: float) -> None:
        assert self._closing is not None
        with suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)


@contextmanager
def serve_in_thread(fake: FakeReportingSystem) -> Iterator[FakeReportingSystem]:
    """Runs `fake` in a daemon thread with its own event loop until the block ends."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="fake-reporting", daemon=True)
    thread.start()
    try:
        asyncio.run_coroutine_threadsafe(fake.start(), loop).result(timeout=10)
        yield fake
    finally:
        try:
            asyncio.run_coroutine_threadsafe(fake.close(), loop).result(timeout=10)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()
