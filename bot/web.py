"""The one aiohttp application that hosts every inbound HTTP endpoint.

Today: the reporting system's status callbacks (`POST /reporting/status`) and a health
check. Channel webhooks (Telegram, WhatsApp) are added to the same application.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.domain.reference import normalize_reference
from bot.domain.signing import signature_ok
from bot.service.reporting.status import UnknownComplaint, UnknownStatus, apply_status_change
from storage.base import Store

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 64 * 1024


def _problem(status: int, error: str) -> web.Response:
    return web.json_response({"error": error}, status=status)


def _parse_callback(raw: bytes) -> tuple[str, str, str, datetime]:
    data: Any = json.loads(raw)
    if not isinstance(data, dict):
        raise ValueError("body must be a JSON object")
    reference, status = data.get("reference"), data.get("status")
    note, updated = data.get("note") or "", data.get("updated_at")
    if not all(isinstance(v, str) for v in (reference, status, note, updated)):
        raise ValueError("reference, status and updated_at must be strings")
    moment = datetime.fromisoformat(str(updated))
    if moment.tzinfo is None:
        raise ValueError("updated_at needs a UTC offset")
    return str(reference), str(status), str(note), moment


def status_callback_handler(
    store: Store, secret: str, clock: Callable[[], datetime], on_notice: Callable[[], None]
) -> Callable[[web.Request], Any]:
    async def handle(request: web.Request) -> web.Response:
        raw = await request.read()
        given = request.headers.get("X-Signature", "")
        if not signature_ok(secret, raw, given):
            log.warning("status callback with a bad signature from %s", request.remote)
            return _problem(401, "bad signature")
        try:
            reference, status, note, updated_at = _parse_callback(raw)
        except (ValueError, UnicodeDecodeError) as error:
            return _problem(400, f"malformed body: {error}")
        normalized = normalize_reference(reference)
        if normalized is None:
            return _problem(404, "unknown reference")
        try:
            change = apply_status_change(
                store,
                reference=normalized,
                status=status,
                note=note,
                updated_at=updated_at,
                source="callback",
                now=clock(),
            )
        except UnknownStatus:
            return _problem(422, f"unknown status {status!r}")
        except UnknownComplaint:
            return _problem(404, "unknown reference")
        if change is not None:
            on_notice()
        return web.json_response({"applied": change is not None})

    return handle


async def health(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def create_app(
    *,
    store: Store,
    clock: Callable[[], datetime],
    callback_secret: str | None,
    on_notice: Callable[[], None],
) -> web.Application:
    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_get("/healthz", health)
    if callback_secret:
        app.router.add_post(
            "/reporting/status",
            status_callback_handler(store, callback_secret, clock, on_notice),
        )
    return app
