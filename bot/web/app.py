"""The aiohttp application every inbound HTTP endpoint lives on, and its health check.

`/healthz` answers 200 only when the database takes a write transaction within a couple
of seconds (PostgreSQL: answers at all) and the disk keeps its reserve: a load balancer
or monitor must hear that the bot cannot work (a lock held by another process, a full
disk, a database server down) instead of "ok".
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.service.database import Busy, StoreRunner
from bot.web.callbacks import status_callback_handler

# Bodies are read by each handler with its own cap; this is the most any route takes
# (WhatsApp's batches, up to 3 MB by Meta's webhook reference).
MAX_BODY_BYTES = 3 * 1024 * 1024
HEALTH_SECONDS = 2.0


def health_handler(
    runner: StoreRunner, disk_ok: Callable[[], bool]
) -> Callable[[web.Request], Any]:
    async def health(request: web.Request) -> web.Response:
        problems = []
        try:
            # A deadline of our own as well: a database across a network may not answer
            # at all (the call then waits on a thread, not here).
            await asyncio.wait_for(
                runner.transaction(lambda store: None, patience=HEALTH_SECONDS), HEALTH_SECONDS
            )
        except Busy:
            problems.append("the database is locked by another process")
        except TimeoutError:
            problems.append("the database does not answer")
        except Exception as error:
            problems.append(f"the database fails: {type(error).__name__}")
        if not disk_ok():
            problems.append("the disk is nearly full")
        if problems:
            return web.json_response({"ok": False, "problems": problems}, status=503)
        return web.json_response({"ok": True})

    return health


def create_app(
    *,
    runner: StoreRunner,
    clock: Callable[[], datetime],
    callback_secret: str | None,
    on_notice: Callable[[], None],
    disk_ok: Callable[[], bool] = lambda: True,
) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_get("/healthz", health_handler(runner, disk_ok))
    if callback_secret:
        app.router.add_post(
            "/reporting/status",
            status_callback_handler(runner, callback_secret, clock, on_notice),
        )
    return app
