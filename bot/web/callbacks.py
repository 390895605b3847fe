"""Status callbacks from the reporting system: `POST /reporting/status`, signed with HMAC.

Read with a size cap, checked before anything is parsed, applied through the same
function as `complaints set-status` (docs/reporting-api.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from aiohttp import web

from bot.domain.json_body import parse_json_body
from bot.domain.reference import normalize_reference
from bot.domain.signing import signature_ok
from bot.service.database import StoreRunner
from bot.service.http_body import read_capped
from bot.service.reporting.status import RefusedChange, UnknownComplaint, apply_status_change

log = logging.getLogger(__name__)


def _problem(status: int, error: str) -> web.Response:
    return web.json_response({"error": error}, status=status)


MAX_CALLBACK_BYTES = 64 * 1024


def _parse_callback(raw: bytes) -> tuple[str, str, str, datetime]:
    data: Any = parse_json_body(raw)
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
    runner: StoreRunner,
    secret: str,
    clock: Callable[[], datetime],
    on_notice: Callable[[], None],
) -> Callable[[web.Request], Any]:
    async def handle(request: web.Request) -> web.Response:
        raw = await read_capped(request, MAX_CALLBACK_BYTES)
        if raw is None:
            return _problem(413, "body larger than 64 KiB")
        given = request.headers.get("X-Signature", "")
        if not signature_ok(secret, raw, given):
            log.warning("status callback with a bad signature from %s", request.remote)
            return _problem(401, "bad signature")
        try:
            reference, status, note, updated_at = _parse_callback(raw)
        except ValueError as error:
            return _problem(400, f"malformed body: {error}")
        normalized = normalize_reference(reference)
        if normalized is None:
            return _problem(404, "unknown reference")
        try:
            change = await runner.run(
                lambda store: apply_status_change(
                    store,
                    reference=normalized,
                    status=status,
                    note=note,
                    updated_at=updated_at,
                    source="callback",
                    now=clock(),
                )
            )
        except RefusedChange as error:  # an unknown status, a date in the future
            return _problem(422, str(error))
        except UnknownComplaint:
            return _problem(404, "unknown reference")
        if change is not None:
            on_notice()
        return web.json_response({"applied": change is not None})

    return handle
