"""The Graph API calls the WhatsApp channel makes, and the error codes it acts on.

Kept apart from the webhook and conversation side so the documented wire format
(`POST /{phone-number-id}/messages`, `GET /{media-id}` then the file with the bearer
token, errors as `{"error": {"code", "message", ...}}`) lives in one place.
"""

from __future__ import annotations

from typing import Any, BinaryIO

import aiohttp

from bot.channels.whatsapp_render import Message

RATE_LIMIT_CODES = {4, 80007, 130429, 131048}  # the business number's throughput
PAIR_RATE_LIMIT = 131056  # too many messages to one user
OUTSIDE_WINDOW = 131047
MARKETING_OPT_OUT = 131050
AUTH_CODE = 190


class GraphError(Exception):
    """An error answer from the Graph API, in its documented `{"error": {...}}` shape."""

    def __init__(self, status: int, code: int | None, message: str) -> None:
        super().__init__(f"HTTP {status}, code {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


class GraphClient:
    """One aiohttp session to the Graph API for one business phone number."""

    def __init__(self, *, api_base: str, token: str, phone_number_id: str) -> None:
        self.api_base = api_base.rstrip("/")
        self.token = token
        self.phone_number_id = phone_number_id
        self.http: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        if self.http is None:
            self.http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))

    async def close(self) -> None:
        if self.http is not None:
            await self.http.close()
            self.http = None

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def call(self, method: str, path: str, body: Message | None = None) -> dict[str, Any]:
        assert self.http is not None, "open() the client first"
        url = f"{self.api_base}/{path}"
        async with self.http.request(method, url, json=body, headers=self._auth()) as response:
            try:
                data = await response.json(content_type=None)
            except ValueError:
                data = None
            if response.status >= 400 or not isinstance(data, dict) or "error" in data:
                error = data.get("error") if isinstance(data, dict) else None
                error = error if isinstance(error, dict) else {}
                code = error.get("code")
                raise GraphError(
                    response.status,
                    code if isinstance(code, int) else None,
                    str(error.get("message", "")),
                )
            return data

    async def post_message(self, body: Message) -> str:
        """Sends one message; returns its WhatsApp message id (wamid...)."""
        data = await self.call("POST", f"{self.phone_number_id}/messages", body)
        messages = data.get("messages")
        first = messages[0] if isinstance(messages, list) and messages else {}
        return str(first.get("id", "")) if isinstance(first, dict) else ""

    async def media_info(self, media_id: str) -> dict[str, Any]:
        return await self.call("GET", media_id)

    async def download(self, url: str, into: BinaryIO) -> None:
        """Streams the file behind a media URL into `into` (which may stop the transfer
        by raising, as `EvidenceWriter` does at the cap)."""
        assert self.http is not None, "open() the client first"
        async with self.http.get(url, headers=self._auth()) as response:
            if response.status != 200:
                raise GraphError(response.status, None, "media download failed")
            async for chunk in response.content.iter_chunked(64 * 1024):
                into.write(chunk)
