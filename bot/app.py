"""Wires the running bot together: store, conversation service, outbox worker, notice
dispatcher, the HTTP application, and the console channel.

Everything runs in one asyncio loop and one SQLite connection; the blocking parts
(reading the terminal) run in a daemon thread that only hands lines over.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TextIO

from aiohttp import web

from bot.console import CHANNEL as CONSOLE
from bot.console import console_sender, run_console
from bot.notices import NoticeDispatcher
from bot.reporting.outbox import OutboxWorker
from bot.runtime import ConversationService, ist_now
from bot.settings import Settings
from bot.web import create_app
from storage.sqlite import SqliteStore

log = logging.getLogger(__name__)
_DRAIN_SECONDS = 5.0


async def run_bot(settings: Settings, stdin: TextIO, stdout: TextIO, *, echo: bool) -> int:
    store = SqliteStore(settings.database_path)
    clock = ist_now
    worker = OutboxWorker(
        store,
        url=settings.reporting_url,
        token=settings.reporting_token.get_secret_value(),
        clock=clock,
        timeout_seconds=settings.reporting_timeout_seconds,
    )
    notices = NoticeDispatcher(store, clock)
    service = ConversationService(
        store,
        clock=clock,
        resume_after=timedelta(minutes=settings.resume_after_minutes),
        max_attachment_bytes=settings.max_attachment_mb * 1024 * 1024,
        push_max_age=timedelta(hours=settings.reporting_max_age_hours),
        on_push_queued=worker.wake,
    )
    if settings.reporting_url is None:
        with store.transaction():
            waiting = len(store.list_outbox("pending"))
        log.warning(
            "REPORTING_URL is not set: complaints are registered and their pushes are "
            "queued (%d waiting) until it is configured",
            waiting,
        )
    stop = asyncio.Event()
    tasks = [asyncio.create_task(worker.run(stop)), asyncio.create_task(notices.run(stop))]
    runner = await _start_http(settings, store, notices)
    notices.register(CONSOLE, console_sender(stdout))
    try:
        await run_console(service, stdin, stdout, echo=echo)
        await worker.drain(_DRAIN_SECONDS)
        await notices.deliver_pending()
    finally:
        stop.set()
        await asyncio.gather(*tasks, return_exceptions=True)
        await worker.close()
        if runner is not None:
            await runner.cleanup()
        store.close()
    return 0


async def _start_http(
    settings: Settings, store: SqliteStore, notices: NoticeDispatcher
) -> web.AppRunner | None:
    secret = settings.reporting_callback_secret
    if secret is None:
        return None
    app = create_app(
        store=store,
        clock=ist_now,
        callback_secret=secret.get_secret_value(),
        on_notice=notices.wake,
    )
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, settings.http_host, settings.http_port).start()
    log.warning("HTTP server on %s:%d", settings.http_host, settings.http_port)
    return runner
