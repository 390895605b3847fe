"""A fake WhatsApp Cloud API (Graph API) on loopback, speaking the documented JSON.

It records every `POST /{phone-number-id}/messages` body, answers with a `wamid`, serves
media metadata (`GET /{media-id}`) and bytes (the metadata's `url`), checks the bearer
token, and can be scripted to answer the next sends with Graph's error JSON
(`{"error": {"message", "type", "code", "error_data", "fbtrace_id"}}`).
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
from dataclasses import dataclass
from typing import Any

from aiohttp import web

TOKEN = "EAAG-fake-token"
PHONE_NUMBER_ID = "106540352242922"


@dataclass
class SentMessage:
    id: str
    body: dict[str, Any]

    @property
    def to(self) -> str:
        return str(self.body["to"])

    @property
    def type(self) -> str:
        return str(self.body["type"])

    @property
    def text(self) -> str:
        """The visible text: a text body, or an interactive message's body."""
        if self.type == "text":
            return str(self.body["text"]["body"])
        if self.type == "interactive":
            return str(self.body["interactive"]["body"]["text"])
        if self.type == "template":
            return " ".join(
                p["text"]
                for c in self.body["template"].get("components", [])
                for p in c.get("parameters", [])
            )
        return ""

    @property
    def options(self) -> list[tuple[str, str, str]]:
        """(kind, id, title) of each button or list row: kind is button_reply/list_reply."""
        if self.type != "interactive":
            return []
        interactive = self.body["interactive"]
        action = interactive["action"]
        if interactive["type"] == "button":
            return [
                ("button_reply", b["reply"]["id"], b["reply"]["title"]) for b in action["buttons"]
            ]
        return [
            ("list_reply", row["id"], row["title"])
            for section in action["sections"]
            for row in section["rows"]
        ]


class FakeGraph:
    def __init__(self, token: str = TOKEN, phone_number_id: str = PHONE_NUMBER_ID) -> None:
        self.token = token
        self.phone_number_id = phone_number_id
        self.sent: list[SentMessage] = []
        self.attempts = 0  # every POST to /messages, refused ones included
        self.refused: list[tuple[int, dict[str, Any]]] = []
        self.failures: list[tuple[int, int, str]] = []  # (http status, code, message)
        self.media: dict[str, tuple[bytes, str]] = {}
        self.media_sizes: dict[str, int] = {}
        self.broken_media: dict[str, int] = {}  # media id -> HTTP status its lookup answers
        self.downloads = 0
        self._ids = itertools.count(1)
        self.runner: web.AppRunner | None = None
        self.url = ""
        self.changed = asyncio.Event()

    # --- server ----------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/{phone_id}/messages", self._messages)
        app.router.add_get("/download/{media_id}", self._download)
        app.router.add_get("/{media_id}", self._media)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        host, port = self.runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    # --- scripting -------------------------------------------------------------------------

    def fail_next(self, code: int, *, status: int = 400, message: str = "", times: int = 1) -> None:
        self.failures += [(status, code, message or f"error {code}")] * times

    def add_media(self, media_id: str, data: bytes, mime: str, *, size: int | None = None) -> None:
        self.media[media_id] = (data, mime)
        if size is not None:
            self.media_sizes[media_id] = size

    # --- reading ---------------------------------------------------------------------------

    def to(self, wa_id: str) -> list[SentMessage]:
        return [m for m in self.sent if m.to == wa_id]

    # --- handlers --------------------------------------------------------------------------

    def _authorised(self, request: web.Request) -> bool:
        return request.headers.get("Authorization") == f"Bearer {self.token}"

    @staticmethod
    def _error(status: int, code: int, message: str) -> web.Response:
        return web.json_response(
            {
                "error": {
                    "message": message,
                    "type": "OAuthException",
                    "code": code,
                    "error_data": {"messaging_product": "whatsapp", "details": message},
                    "fbtrace_id": "AbCdEf123",
                }
            },
            status=status,
        )

    async def _messages(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._error(401, 190, "Invalid OAuth access token")
        if request.match_info["phone_id"] != self.phone_number_id:
            return self._error(400, 100, "Unsupported post request")
        body = await request.json()
        self.attempts += 1
        if self.failures:
            status, code, message = self.failures.pop(0)
            self.refused.append((code, body))
            self.changed.set()
            return self._error(status, code, message)
        wamid = f"wamid.HBgM{next(self._ids):08d}"
        self.sent.append(SentMessage(wamid, body))
        self.changed.set()
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                "messages": [{"id": wamid}],
            }
        )

    async def _media(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return self._error(401, 190, "Invalid OAuth access token")
        media_id = request.match_info["media_id"]
        if media_id in self.broken_media:
            status = self.broken_media[media_id]
            return self._error(status, 131052 if status < 500 else 1, "Media download error")
        if media_id not in self.media:
            return self._error(400, 100, "Unsupported get request")
        data, mime = self.media[media_id]
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "url": f"{self.url}/download/{media_id}",
                "mime_type": mime,
                "sha256": hashlib.sha256(data).hexdigest(),
                "file_size": str(self.media_sizes.get(media_id, len(data))),
                "id": media_id,
            }
        )

    async def _download(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.Response(status=401)
        data, mime = self.media[request.match_info["media_id"]]
        self.downloads += 1
        return web.Response(body=data, content_type=mime)
