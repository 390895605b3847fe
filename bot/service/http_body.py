"""Reading a request body with a cap, for every endpoint that faces the internet."""

from __future__ import annotations

from aiohttp import web


async def read_capped(request: web.Request, limit: int) -> bytes | None:
    """The whole body, or None as soon as it is longer than `limit` (what was read is
    dropped; the rest is never read)."""
    parts: list[bytes] = []
    size = 0
    while chunk := await request.content.read(64 * 1024):
        size += len(chunk)
        if size > limit:
            return None
        parts.append(chunk)
    return b"".join(parts)
