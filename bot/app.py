"""Wires the running bot together: store and its thread, conversation service, outbox
worker, notice dispatcher, reply ledger, housekeeping, the one HTTP application, and the
channels (Telegram, WhatsApp, console demo).

Everything runs in one asyncio loop; store work runs on the store's own thread. With no
channel token configured the console demo runs; otherwise the bot serves until
SIGINT/SIGTERM.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any, TextIO
from urllib.parse import urlsplit

import psycopg
from aiohttp import web

from bot.channels.console import console_sender, run_console
from bot.channels.delivery import DeliveryQueue
from bot.channels.evidence import EvidenceFolder
from bot.channels.pacing import SHARED_PACING, Pace, SharedPace
from bot.domain.clock import ist_now
from bot.domain.errors import ConfigurationError
from bot.domain.messages import ConversationKey
from bot.domain.statuses import Channel, PushStatus
from bot.service.awareness.broadcaster import Broadcaster
from bot.service.awareness.schedule import Rotation, parse_time_of_day
from bot.service.conversation import ConversationService
from bot.service.database import runner_for
from bot.service.housekeeping import Housekeeping
from bot.service.leader import Leadership
from bot.service.notices import NoticeDispatcher
from bot.service.replies import ReplyLedger
from bot.service.reporting.outbox import OutboxWorker
from bot.service.screenshots import screen_reader
from bot.settings import Settings
from bot.web import create_app
from bot.web.guard import ConnectionGuard, GuardedSite, quiet_accept_errors, raise_open_file_limit
from storage.base import Store
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore

log = logging.getLogger(__name__)
_DRAIN_SECONDS = 5.0
_KEPT_ALIVE_SECONDS = 75.0
# With workers beside it, the leader learns of their pushes and notices by asking.
_SHARED_POLL_SECONDS = 1.0
_CHAT_BURST = 3  # as DeliveryQueue's own per-chat bucket


def open_store(settings: Settings, *, for_bot: bool) -> Store:
    """PostgreSQL at DATABASE_URL, else SQLite at DATABASE_PATH. The running bot's SQLite
    store never waits for another process's lock (see bot/service/database.py)."""
    if settings.database_url is None:
        return SqliteStore(settings.database_path, wait_for_lock=not for_bot)
    try:
        return PostgresStore(
            settings.database_url.get_secret_value(), threads=settings.database_threads
        )
    except psycopg.Error as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else repr(error)
        raise ConfigurationError(f"DATABASE_URL: the database cannot be used: {reason}") from None


class BotRuntime:
    """The long-lived parts, started and stopped together."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = open_store(settings, for_bot=True)
        self.shared = isinstance(self.store, PostgresStore)  # other workers may run beside
        self.db = runner_for(self.store)
        idle = _SHARED_POLL_SECONDS if self.shared else None
        self.worker = OutboxWorker(
            self.db,
            url=settings.reporting_url,
            token=settings.reporting_token.get_secret_value(),
            clock=ist_now,
            timeout_seconds=settings.reporting_timeout_seconds,
            idle_seconds=idle,
        )
        self.notices = NoticeDispatcher(self.db, ist_now, idle_seconds=idle)
        self.leadership = Leadership(self.db, "background")
        self.background: list[Callable[[asyncio.Event], Coroutine[Any, Any, None]]] = []
        rotation = (
            Rotation(settings.awareness_every_days, parse_time_of_day(settings.awareness_time))
            if settings.awareness_every_days > 0
            else None
        )
        self.broadcaster = Broadcaster(self.db, ist_now, rotation=rotation)
        self.service = ConversationService(
            self.store,
            runner=self.db,
            resume_after=timedelta(minutes=settings.resume_after_minutes),
            max_attachment_bytes=settings.max_attachment_mb * 1024 * 1024,
            push_max_age=timedelta(hours=settings.reporting_max_age_hours),
            on_push_queued=self.worker.wake,
            on_campaign=self.broadcaster.wake,
            reference_key=settings.reference_key_bytes,
            screen_reader=screen_reader(settings.screenshot_timeout_seconds),
            helpdesk=(settings.helpdesk_phone, settings.helpdesk_hours),
        )
        self.ledger = ReplyLedger(self.db, ist_now)
        self.housekeeping = Housekeeping(self.db, ist_now, settings.evidence_dir)
        self.stop = asyncio.Event()
        self.tasks: list[asyncio.Task[None]] = []
        self.web_app = create_app(
            runner=self.db,
            clock=ist_now,
            callback_secret=_secret(settings.reporting_callback_secret),
            on_notice=self.notices.wake,
            disk_ok=lambda: self.evidence(Channel.CONSOLE).has_room(0),
        )
        self.runner: web.AppRunner | None = None
        self.closers: list[Callable[[], Coroutine[Any, Any, None]]] = []
        self.deliveries: dict[Channel, DeliveryQueue] = {}  # each platform's outbound queue

    def evidence(self, channel: Channel) -> EvidenceFolder:
        settings = self.settings
        return EvidenceFolder(
            settings.evidence_dir / channel,
            settings.max_attachment_mb * 1024 * 1024,
            min_free_bytes=settings.min_free_disk_mb * 1024 * 1024,
        )

    async def start(self) -> None:
        if self.settings.reporting_url is None:
            pending = PushStatus.PENDING
            waiting = len(await self.db.transaction(lambda store: store.list_outbox(pending)))
            log.warning(
                "REPORTING_URL is not set: complaints are registered and their pushes are "
                "queued (%d waiting) until it is configured",
                waiting,
            )
        self._spawn(self.ledger.run(self.stop, resend_stale=lambda: self.leadership.leading))
        self.background += [self.worker.run, self.notices.run, self.housekeeping.run]
        if self.settings.telegram_bot_token is not None:
            await self._start_telegram()
        if self.settings.whatsapp_enabled:
            await self._start_whatsapp()
        if not self.shared:
            # What a crash left between commit and send. Beside other workers, whatever
            # is pending may be theirs, on its way: the leader resends only what waited
            # longer than a minute.
            await self.ledger.resend()
        if self.settings.needs_http:
            await self._serve_http()
        if self.broadcaster.senders:
            # Awareness campaigns go to the platforms only: the console demo has one
            # local person and no schedule to keep.
            self.background.append(self.broadcaster.run)
        # One worker at a time does the background work (always this one on SQLite).
        self._spawn(
            self.leadership.run(self.stop, lambda term: [run(term) for run in self.background])
        )

    async def _serve_http(self) -> None:
        settings = self.settings
        limit = raise_open_file_limit()
        quiet_accept_errors()
        guard = ConnectionGuard(
            head_seconds=settings.http_header_timeout_seconds,
            request_seconds=_KEPT_ALIVE_SECONDS,
            max_connections=min(settings.http_max_connections, max(10, limit - 100)),
        )
        self.runner = web.AppRunner(self.web_app, keepalive_timeout=_KEPT_ALIVE_SECONDS)
        await self.runner.setup()
        await GuardedSite(self.runner, settings.http_host, settings.http_port, guard).start()
        host, port = self.runner.addresses[0][:2]  # the port bound, when HTTP_PORT is 0
        log.warning("HTTP server on %s:%d", host, port)

    async def _start_telegram(self) -> None:
        # aiogram builds hundreds of pydantic models on import (seconds on a small
        # machine): only a deployment that uses Telegram pays for it.
        from aiogram import Bot  # noqa: PLC0415
        from aiogram.client.session.aiohttp import AiohttpSession  # noqa: PLC0415
        from aiogram.client.telegram import TelegramAPIServer  # noqa: PLC0415

        from bot.channels.telegram import TelegramChannel  # noqa: PLC0415

        settings = self.settings
        assert settings.telegram_bot_token is not None
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
        bot = Bot(settings.telegram_bot_token.get_secret_value(), session=session)
        self.closers.append(bot.session.close)
        delivery = DeliveryQueue(
            per_second=settings.telegram_rate_per_second,
            per_chat_per_second=settings.telegram_per_chat_per_second,
            max_in_flight=settings.telegram_max_in_flight,
            on_unreachable=self._unreachable(Channel.TELEGRAM),
            pace=self._pace(
                Channel.TELEGRAM,
                settings.telegram_rate_per_second,
                settings.telegram_per_chat_per_second,
            ),
        )
        self.deliveries[Channel.TELEGRAM] = delivery
        channel = TelegramChannel(
            bot,
            self.service,
            delivery,
            evidence=self.evidence(Channel.TELEGRAM),
            ledger=self.ledger,
            poll_timeout=settings.telegram_poll_timeout,
            operators=settings.admin_ids,
        )
        webhook_secret = _secret(settings.telegram_webhook_secret)
        await channel.setup(settings.telegram_webhook_url, webhook_secret)
        self._spawn(delivery.run(self.stop))
        self.ledger.register(Channel.TELEGRAM, channel.send_replies)
        self.notices.register(Channel.TELEGRAM, channel.send_notice)
        self.broadcaster.register(Channel.TELEGRAM, channel.send_awareness)
        if settings.telegram_webhook_url and webhook_secret:
            path = urlsplit(settings.telegram_webhook_url).path or "/"
            self.web_app.router.add_post(path, channel.webhook_handler(webhook_secret))
            log.warning("Telegram: webhook at %s", path)
        else:
            # One consumer of getUpdates at a time; the other workers stand by.
            polling = Leadership(self.db, "telegram-polling")
            self._spawn(polling.run(self.stop, lambda term: [channel.poll(term)]))
            log.warning("Telegram: long polling %s", settings.telegram_api_base)
        self.background.append(channel.inbox.run)  # updates an operator released

    async def _start_whatsapp(self) -> None:
        from bot.channels.whatsapp import WEBHOOK_PATH, WhatsAppChannel  # noqa: PLC0415

        settings = self.settings
        assert settings.whatsapp_phone_number_id is not None
        delivery = DeliveryQueue(
            per_second=settings.whatsapp_rate_per_second,
            per_chat_per_second=settings.whatsapp_per_chat_per_second,
            max_in_flight=settings.whatsapp_max_in_flight,
            pace=self._pace(
                Channel.WHATSAPP,
                settings.whatsapp_rate_per_second,
                settings.whatsapp_per_chat_per_second,
            ),
        )
        self.deliveries[Channel.WHATSAPP] = delivery
        channel = WhatsAppChannel(
            self.service,
            delivery,
            self.ledger,
            api_base=settings.whatsapp_api_base,
            token=_secret(settings.whatsapp_token) or "",
            phone_number_id=settings.whatsapp_phone_number_id,
            app_secret=_secret(settings.whatsapp_app_secret) or "",
            verify_token=_secret(settings.whatsapp_verify_token) or "",
            evidence=self.evidence(Channel.WHATSAPP),
            clock=ist_now,
            status_template=settings.whatsapp_status_template,
            awareness_template=settings.whatsapp_awareness_template,
            template_languages={
                "hi": settings.whatsapp_template_language_hi,
                "en": settings.whatsapp_template_language_en,
            },
            on_inbound=self.notices.wake,
        )
        channel.add_routes(self.web_app)
        self.closers.append(channel.close)
        self._spawn(delivery.run(self.stop))
        self.ledger.register(Channel.WHATSAPP, channel.send_replies)
        self.notices.register(Channel.WHATSAPP, channel.send_notice)
        self.broadcaster.register(Channel.WHATSAPP, channel.send_awareness)
        leftovers = await channel.start()
        self.background.append(channel.inbox.run)
        log.warning(
            "WhatsApp: webhook at %s (%d stored bodies processed at start)", WEBHOOK_PATH, leftovers
        )

    def _pace(self, platform: str, per_second: float, per_chat: float) -> Pace | None:
        """Beside other workers, the platform's caps are kept by all together
        (`SharedPace`); alone, the delivery queue keeps them itself."""
        store = self.store
        if not isinstance(store, PostgresStore):
            return None

        def reserve(chat: str) -> float:
            return store.reserve_send(
                platform,
                chat,
                per_second=per_second * SHARED_PACING,
                per_chat_per_second=per_chat,
                chat_burst=_CHAT_BURST,
            )

        async def reserved(chat: str) -> float:
            return await self.db.run(lambda _: reserve(chat))

        return SharedPace(reserved)

    def _unreachable(self, channel: str) -> Callable[[str], None]:
        """For the delivery queue: the platform says this person blocked the bot."""

        def mark(chat: str) -> None:
            key, now = ConversationKey(channel, chat), ist_now()
            self._spawn(
                self.db.transaction(
                    lambda store: store.mark_unreachable(key, reason="blocked", at=now)
                )
            )

        return mark

    def _spawn(self, coroutine: Coroutine[Any, Any, Any]) -> None:
        self.tasks.append(asyncio.create_task(coroutine))

    async def close(self) -> None:
        self.stop.set()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        await self.worker.close()
        if self.runner is not None:
            await self.runner.cleanup()
        for close in self.closers:
            await close()
        self.db.close()
        self.store.checkpoint()  # erased values do not outlive the process in the log
        self.store.close()


def _secret(value: object) -> str | None:
    getter = getattr(value, "get_secret_value", None)
    return getter() if getter is not None else None


async def run_bot(settings: Settings, stdin: TextIO, stdout: TextIO, *, echo: bool) -> int:
    runtime = BotRuntime(settings)
    try:
        await runtime.start()
        if settings.telegram_bot_token is None and not settings.whatsapp_enabled:
            runtime.notices.register(Channel.CONSOLE, console_sender(stdout))
            await run_console(runtime.service, stdin, stdout, echo=echo)
            await runtime.worker.drain(_DRAIN_SECONDS)
            await runtime.notices.deliver_pending()
        else:
            await _until_signalled()
    finally:
        await runtime.close()
    return 0


async def _until_signalled() -> None:
    stopped = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopped.set)
    await stopped.wait()
