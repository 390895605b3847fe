"""A fake Telegram Bot API server that speaks the documented JSON, so the Telegram channel
can be tested end to end (aiogram's real HTTP client, real sockets) without the internet.

In a test: `fake = FakeTelegram(); url = await fake.start()` in the test's event loop, point
aiogram at `TelegramAPIServer.from_base(url)`, `fake.inject(fake.text_update(...))`, then
read what each chat received with `fake.texts(chat_id)` and friends; `await fake.stop()`.

As a process (for benchmarks): `python tests/support/fake_telegram.py [--port PORT]
[--cap-per-second N] [--latency-ms MS] [--host H] [--token T]` prints "ready URL" once
listening (with the port the system picked unless --port is given) and serves until
SIGTERM/SIGINT. Updates are injected and calls read through
a small control API:

    POST /_fake/inject     an Update object (or a list); update_id assigned if missing
    POST /_fake/text       {"chat_id": 1, "text": "नमस्ते", "language_code": "hi"}
    POST /_fake/press      {"chat_id": 1, "label": "SBI"}: presses an inline button
    POST /_fake/fail_next  {"method": "sendMessage", "n": 3, "error_code": 429, ...}
    POST /_fake/cap        {"per_second": 30} (null: no cap)
    POST /_fake/reset      forgets calls, sent messages and pending updates
    GET  /_fake/calls      ?method=sendMessage&since=INDEX: recorded calls as JSON
    GET  /_fake/stats      counts per method, messages sent, 429s answered, pending updates

Behaviour follows https://core.telegram.org/bots/api: responses are {"ok": true, "result":
...}; errors {"ok": false, "error_code": N, "description": "..."} with the same HTTP status
(429 also carries "parameters": {"retry_after": N}); getUpdates long-polls with `timeout`,
forgets updates below `offset` and honours `allowed_updates`; getUpdates answers 409 while a
webhook is set; setWebhook wants an HTTPS URL on port 443, 80, 88 or 8443; sendMessage
refuses empty texts and texts over 4096 characters; callback_data must be 1-64 bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import re
import signal
import socket
import struct
import sys
import time
import zlib
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefgh"
DOWNLOAD = "download"  # fail_next(DOWNLOAD, ...): the file server (/file/bot<token>/...)
TEXT_LIMIT = 4096
CALLBACK_DATA_LIMIT = 64
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile refuses bigger files

# Form fields that stay strings even when they would parse as JSON (a text may be "123").
_STRING_FIELDS = frozenset(
    {
        "text",
        "caption",
        "callback_query_id",
        "secret_token",
        "url",
        "language_code",
        "file_id",
        "inline_message_id",
        "parse_mode",
        "description",
        "short_description",
        "name",
        "ip_address",
        "emoji",
        "business_connection_id",
    }
)
# Update types Telegram sends when allowed_updates is not given.
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_WEBHOOK_PORTS = {None, 443, 80, 88, 8443}


class ApiError(Exception):
    """An error answer of the Bot API."""

    def __init__(self, error_code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def response(self) -> web.Response:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return web.json_response(body, status=self.error_code)


@dataclass
class Call:
    """One request the bot made, failed or not."""

    method: str
    params: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    wall: float = field(default_factory=time.time)
    error_code: int | None = None

    @property
    def ok(self) -> bool:
        return self.error_code is None

    def as_json(self) -> dict[str, Any]:
        params = {
            key: (f"<{len(value)} bytes>" if isinstance(value, bytes) else value)
            for key, value in self.params.items()
        }
        return {
            "method": self.method,
            "params": params,
            "at": self.at,
            "wall": self.wall,
            "ok": self.ok,
            "error_code": self.error_code,
        }


@dataclass
class Sent:
    """A message the bot sent, as the chat shows it now (`markup` follows edits;
    `requested_markup` is what sendMessage asked for, reply keyboards included)."""

    chat_id: int
    message: dict[str, Any]
    requested_markup: dict[str, Any] | None
    at: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        return str(self.message.get("text", ""))

    @property
    def message_id(self) -> int:
        return int(self.message["message_id"])

    @property
    def markup(self) -> dict[str, Any] | None:
        return self.message.get("reply_markup")


@dataclass
class _Failure:
    remaining: int
    error_code: int
    description: str
    retry_after: int | None = None
    raw_body: str | None = None
    content_type: str = "text/html"
    reset: bool = False


class _Reset(Exception):
    """Raised by a scripted connection reset; `_api` aborts the connection."""


def _reset(request: web.Request) -> web.Response:
    """Drops the connection with a TCP reset (SO_LINGER 0): the client sees ECONNRESET."""
    transport = request.transport
    if transport is not None:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        transport.abort()
    return web.Response(status=500)  # never reaches the client


def _canonical(method: str) -> str:
    return method.lower()


class FakeTelegram:
    """The Bot API of one bot, in memory; see the module docstring."""

    def __init__(
        self, token: str = TOKEN, *, cap_per_second: int | None = None, latency: float = 0.0
    ) -> None:
        self.token = token
        self.latency = latency  # seconds before each API answer, as a distant server has
        self.bot_id = int(token.split(":", 1)[0])
        self.cap_per_second = cap_per_second
        self.me = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Fraud Help (fake)",
            "username": "fraud_help_fake_bot",
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.downloads: list[str] = []
        self.dropped: list[dict[str, Any]] = []  # injected but not in allowed_updates
        self.pending: list[dict[str, Any]] = []  # injected, not yet confirmed by an offset
        self.confirmed_offset = 0
        self.allowed_updates: list[str] | None = None
        self.webhook: dict[str, Any] = {"url": "", "secret_token": None}
        self.commands: dict[str, list[dict[str, Any]]] = {}  # by language_code ("" default)
        self.files: dict[str, tuple[bytes, str]] = {}  # file_id -> (bytes, file_path)
        # Files served as a stream of this many bytes (a self-hosted Bot API allows 2 GB),
        # and how many bytes of each the client actually took before it hung up.
        self.endless: dict[str, int] = {}  # file_path -> size
        self.streamed: dict[str, int] = {}
        self.rate_limited = 0
        # Called with each request as it arrives; True drops it unprocessed (the sender
        # died while the request was on the wire), e.g. to kill -9 the bot at that moment.
        self.on_request: Callable[[Call], bool] | None = None
        self._messages: dict[tuple[int, int], Sent] = {}
        self._chats: dict[int, dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._callback_ids: set[str] = set()
        self._failures: dict[str, deque[_Failure]] = {}
        self._send_times: deque[float] = deque()
        self._last_update_id = 0
        self._message_ids = itertools.count(1)
        self._ids = itertools.count(1)
        self._changed = asyncio.Event()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.url = ""

    # --- server ----------------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        app.router.add_post("/_fake/inject", self._control_inject)
        app.router.add_post("/_fake/text", self._control_text)
        app.router.add_post("/_fake/press", self._control_press)
        app.router.add_post("/_fake/fail_next", self._control_fail_next)
        app.router.add_post("/_fake/cap", self._control_cap)
        app.router.add_post("/_fake/reset", self._control_reset)
        app.router.add_get("/_fake/calls", self._control_calls)
        app.router.add_get("/_fake/stats", self._control_stats)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listens (port 0: any free port) and returns the base URL for aiogram."""
        self._closing = False
        self._runner = web.AppRunner(self.app(), shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_host, bound_port = self._runner.addresses[0][:2]
        self.url = f"http://{bound_host}:{bound_port}"
        return self.url

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    async def stop(self) -> None:
        """Ends pending long polls at once, then closes the server."""
        self._closing = True
        self._wake()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # --- scripting -------------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        n: int = 1,
        error_code: int = 500,
        description: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """The next `n` calls of `method` get this Bot API error instead of an answer."""
        if description is None:
            if error_code == 429:
                description = f"Too Many Requests: retry after {retry_after or 1}"
            else:
                description = _DEFAULT_DESCRIPTIONS.get(error_code, "Error")
        if error_code == 429 and retry_after is None:
            retry_after = 1
        failure = _Failure(n, error_code, description, retry_after)
        self._failures.setdefault(_canonical(method), deque()).append(failure)

    def fail_next_raw(
        self, method: str, n: int, status: int, body: str, content_type: str = "text/html"
    ) -> None:
        """The next `n` calls of `method` get a non-API answer, as a proxy in front of the
        Bot API gives (e.g. an HTML "502 Bad Gateway" page)."""
        failure = _Failure(n, status, "", raw_body=body, content_type=content_type)
        self._failures.setdefault(_canonical(method), deque()).append(failure)

    def reset_next(self, method: str, n: int = 1) -> None:
        """The next `n` calls of `method` lose their connection (a TCP reset, no answer),
        as a crashing server or a flaky proxy does."""
        failure = _Failure(n, 0, "", reset=True)
        self._failures.setdefault(_canonical(method), deque()).append(failure)

    def add_file(self, file_id: str, data: bytes, file_path: str | None = None) -> str:
        """Makes `file_id` downloadable through getFile; returns its file_path."""
        path = file_path or f"documents/file_{len(self.files)}_{file_id[-6:]}"
        self.files[file_id] = (data, path)
        return path

    def add_endless_file(self, file_id: str, size: int, prefix: bytes = b"%PDF-1.7 ") -> str:
        """Makes a file of `size` bytes fetchable without holding it in memory: it is
        written in 64 KiB chunks as the client reads, `self.streamed` counting them."""
        path = f"documents/endless_{file_id[-6:]}.pdf"
        self.files[file_id] = (prefix, path)
        self.endless[path] = size
        return path

    def stamp(self, update: dict[str, Any]) -> dict[str, Any]:
        """`update` with the next update_id, for delivering it some other way (a webhook
        POST) or more than once."""
        self._last_update_id += 1
        return {"update_id": self._last_update_id, **update}

    def inject(self, update: dict[str, Any], *, force: bool = False) -> int:
        """Queues an update for getUpdates; returns its update_id (assigned increasing
        unless given). Types outside the bot's allowed_updates are dropped, as Telegram
        does, unless `force` (an update created before allowed_updates was set)."""
        update = dict(update)
        if "update_id" not in update:
            update["update_id"] = self._last_update_id + 1
        update_id = int(update["update_id"])
        self._last_update_id = max(self._last_update_id, update_id)
        self._remember(update)
        if not force and not self._allowed(update):
            self.dropped.append(update)
            return update_id
        self.pending.append(update)
        self._wake()
        return update_id

    async def wait_confirmed(self, update_id: int, timeout: float = 10.0) -> None:
        """Waits until the bot has called getUpdates with an offset past `update_id`,
        which it does only after handling the update."""
        async with asyncio.timeout(timeout):
            while self.confirmed_offset <= update_id:
                await self._changed_event().wait()

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Waits until `method` has been called `count` times (successfully or not)."""
        async with asyncio.timeout(timeout):
            while len(self.calls_of(method)) < count:
                await self._changed_event().wait()
        return self.calls_of(method)

    # --- reading what happened ---------------------------------------------------------------

    def calls_of(self, method: str) -> list[Call]:
        wanted = _canonical(method)
        return [call for call in self.calls if _canonical(call.method) == wanted]

    def messages_to(self, chat_id: int) -> list[Sent]:
        return [sent for sent in self.sent if sent.chat_id == chat_id]

    def texts(self, chat_id: int) -> list[str]:
        return [sent.text for sent in self.messages_to(chat_id)]

    def last_with_keyboard(self, chat_id: int) -> Sent | None:
        """The latest message to the chat that shows an inline keyboard now."""
        for sent in reversed(self.messages_to(chat_id)):
            if sent.markup and sent.markup.get("inline_keyboard"):
                return sent
        return None

    def last_inline_keyboard(self, chat_id: int) -> list[list[tuple[str, str]]]:
        """(label, callback_data) rows of the latest inline keyboard shown in the chat."""
        sent = self.last_with_keyboard(chat_id)
        if sent is None or sent.markup is None:
            return []
        return [
            [(button["text"], button.get("callback_data", "")) for button in row]
            for row in sent.markup["inline_keyboard"]
        ]

    def asked_for_contact(self, chat_id: int) -> bool:
        """Whether a reply keyboard with a request_contact button was sent to the chat."""
        return any(_requests_contact(sent.requested_markup) for sent in self.messages_to(chat_id))

    def removed_keyboard(self, chat_id: int) -> bool:
        """Whether a ReplyKeyboardRemove was sent to the chat."""
        return any(
            bool(sent.requested_markup and sent.requested_markup.get("remove_keyboard"))
            for sent in self.messages_to(chat_id)
        )

    def commands_for(self, language_code: str | None = None) -> list[dict[str, Any]]:
        return self.commands.get(language_code or "", [])

    # --- update builders ---------------------------------------------------------------------

    def user(
        self, user_id: int, *, language_code: str | None = "hi", first_name: str = "Sunita"
    ) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code is not None:
            user["language_code"] = language_code
        return user

    def private_chat(self, chat_id: int, first_name: str = "Sunita") -> dict[str, Any]:
        return {"id": chat_id, "type": "private", "first_name": first_name}

    def message_update(
        self,
        chat_id: int,
        *,
        language_code: str | None = "hi",
        chat: dict[str, Any] | None = None,
        kind: str = "message",
        **content: Any,
    ) -> dict[str, Any]:
        """A Message sent by the person `chat_id` in their private chat with the bot."""
        message = {
            "message_id": next(self._message_ids),
            "from": self.user(chat_id, language_code=language_code),
            "chat": chat or self.private_chat(chat_id),
            "date": int(time.time()),
            **content,
        }
        return {kind: message}

    def text_update(
        self, chat_id: int, text: str, *, language_code: str | None = "hi"
    ) -> dict[str, Any]:
        return self.message_update(chat_id, language_code=language_code, text=text)

    def command_update(
        self, chat_id: int, command: str, args: str = "", *, language_code: str | None = "hi"
    ) -> dict[str, Any]:
        head = f"/{command}"
        text = f"{head} {args}" if args else head
        entities = [{"type": "bot_command", "offset": 0, "length": len(head)}]
        return self.message_update(
            chat_id, language_code=language_code, text=text, entities=entities
        )

    def contact_update(
        self,
        chat_id: int,
        phone_number: str,
        *,
        own: bool = True,
        language_code: str | None = "hi",
    ) -> dict[str, Any]:
        """The person pressing a request_contact button shares their own contact."""
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": "Sunita"}
        if own:
            contact["user_id"] = chat_id
        return self.message_update(chat_id, language_code=language_code, contact=contact)

    def photo_update(
        self,
        chat_id: int,
        data: bytes,
        *,
        caption: str | None = None,
        language_code: str | None = "hi",
    ) -> dict[str, Any]:
        """A photo as Telegram delivers it: several sizes, largest last, each fetchable;
        `data` is the largest size's bytes."""
        number = next(self._ids)
        sizes = []
        for index, (width, height) in enumerate(((90, 51), (320, 180), (1280, 720))):
            is_largest = index == 2
            size_data = data if is_largest else data[: max(1, len(data) // (8 >> index))]
            file_id = f"AgACAgUAAxkBAAI{number:04d}x{index}"
            self.add_file(file_id, size_data, f"photos/file_{number}_{index}.jpg")
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": f"AQAD{number:04d}{index}",
                    "width": width,
                    "height": height,
                    "file_size": len(size_data),
                }
            )
        fields: dict[str, Any] = {"photo": sizes}
        if caption is not None:
            fields["caption"] = caption
        return self.message_update(chat_id, language_code=language_code, **fields)

    def document_update(
        self,
        chat_id: int,
        *,
        file_name: str,
        mime_type: str,
        data: bytes | None = None,
        file_size: int | None = None,
        language_code: str | None = "hi",
    ) -> dict[str, Any]:
        """A document; with `data` it is fetchable, `file_size` defaults to its length."""
        number = next(self._ids)
        file_id = f"BQACAgUAAxkBAAI{number:04d}"
        document: dict[str, Any] = {
            "file_id": file_id,
            "file_unique_id": f"AgAD{number:04d}",
            "file_name": file_name,
            "mime_type": mime_type,
        }
        if data is not None:
            self.add_file(file_id, data, f"documents/file_{number}_{file_name}")
        size = file_size if file_size is not None else (len(data) if data is not None else None)
        if size is not None:
            document["file_size"] = size
        return self.message_update(chat_id, language_code=language_code, document=document)

    def sticker_update(self, chat_id: int, *, language_code: str | None = "hi") -> dict[str, Any]:
        number = next(self._ids)
        sticker = {
            "file_id": f"CAACAgIAAxkBAAI{number:04d}",
            "file_unique_id": f"AgAD{number:04d}s",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "🙏",
            "file_size": 23_000,
        }
        return self.message_update(chat_id, language_code=language_code, sticker=sticker)

    def callback_update(
        self,
        chat_id: int,
        message: dict[str, Any],
        data: str,
        *,
        language_code: str | None = "hi",
    ) -> dict[str, Any]:
        """The person pressing an inline button of `message` (as the bot sent it)."""
        query_id = str(4_200_000_000_000_000_000 + next(self._ids))
        self._callback_ids.add(query_id)
        query = {
            "id": query_id,
            "from": self.user(chat_id, language_code=language_code),
            "message": message,
            "chat_instance": f"-{7_000_000_000_000 + chat_id}",
            "data": data,
        }
        return {"callback_query": query}

    def press_update(
        self, chat_id: int, label: str, *, language_code: str | None = "hi"
    ) -> dict[str, Any]:
        """Presses the button of the latest inline keyboard whose label contains `label`
        (or whose callback_data equals it); raises LookupError if there is none."""
        sent = self.last_with_keyboard(chat_id)
        if sent is None or sent.markup is None:
            raise LookupError(f"chat {chat_id} shows no inline keyboard")
        buttons = [button for row in sent.markup["inline_keyboard"] for button in row]
        for button in buttons:
            if button.get("callback_data") == label:
                break
        else:
            matches = [b for b in buttons if label.casefold() in b["text"].casefold()]
            if not matches:
                labels = [b["text"] for b in buttons]
                raise LookupError(f"no button {label!r} in {labels}")
            button = matches[0]
        return self.callback_update(
            chat_id, dict(sent.message), button["callback_data"], language_code=language_code
        )

    def edited_message_update(self, chat_id: int, text: str) -> dict[str, Any]:
        update = self.message_update(chat_id, kind="edited_message", text=text)
        update["edited_message"]["edit_date"] = int(time.time())
        return update

    def my_chat_member_update(self, chat_id: int, status: str = "kicked") -> dict[str, Any]:
        """The person blocking (kicked) or restarting (member) the bot."""
        new: dict[str, Any] = {"status": status, "user": self.me}
        if status == "kicked":
            new["until_date"] = 0
        member = {
            "chat": self.private_chat(chat_id),
            "from": self.user(chat_id),
            "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": self.me},
            "new_chat_member": new,
        }
        return {"my_chat_member": member}

    def group_text_update(self, chat_id: int, user_id: int, text: str) -> dict[str, Any]:
        chat = {"id": chat_id, "type": "group", "title": "Family"}
        return self.message_update(user_id, chat=chat, text=text)

    # --- HTTP: the Bot API -------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        try:
            params = await _params(request)
        except ApiError as error:
            return error.response()
        call = Call(method, params)
        self.calls.append(call)
        self._wake()  # e.g. a getUpdates offset confirms updates before its long poll
        try:
            if request.match_info["token"] != self.token:
                raise ApiError(401, "Unauthorized")
            if self.on_request is not None and self.on_request(call):
                raise ApiError(500, "Internal Server Error: the request was lost")
            if self.latency:
                await asyncio.sleep(self.latency)
            raw = self._scripted_failure(method)
            if raw is not None:
                call.error_code = raw.status
                return raw
            handler = getattr(self, f"_m_{_canonical(method)}", None)
            if handler is None:
                raise ApiError(404, "Not Found")
            result = await handler(params)
        except ApiError as error:
            call.error_code = error.error_code
            return error.response()
        except _Reset:
            call.error_code = 0
            return _reset(request)
        finally:
            self._wake()
        return web.json_response({"ok": True, "result": result})

    def _scripted_failure(self, method: str) -> web.Response | None:
        queue = self._failures.get(_canonical(method))
        if not queue:
            return None
        failure = queue[0]
        failure.remaining -= 1
        if failure.remaining <= 0:
            queue.popleft()
        if failure.reset:
            raise _Reset
        if failure.raw_body is not None:
            return web.Response(
                status=failure.error_code, text=failure.raw_body, content_type=failure.content_type
            )
        if failure.error_code == 429:
            self.rate_limited += 1
        raise ApiError(failure.error_code, failure.description, failure.retry_after)

    async def _file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return ApiError(401, "Unauthorized").response()
        try:  # fail_next(DOWNLOAD, ...) scripts the file server like a method
            scripted = self._scripted_failure(DOWNLOAD)
        except ApiError as error:
            return error.response()
        except _Reset:
            return _reset(request)
        if scripted is not None:
            return scripted
        path = request.match_info["path"]
        if path in self.endless:
            return await self._stream(request, path)
        for data, file_path in self.files.values():
            if file_path == path:
                self.downloads.append(path)
                self._wake()
                return web.Response(body=data, content_type="application/octet-stream")
        return ApiError(404, "Not Found").response()

    async def _stream(self, request: web.Request, path: str) -> web.StreamResponse:
        self.downloads.append(path)
        size, chunk = self.endless[path], 64 * 1024
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.content_length = size
        await response.prepare(request)
        prefix = next(data for data, file_path in self.files.values() if file_path == path)
        sent = 0
        try:
            while sent < size:
                piece = (prefix if sent == 0 else b"") + bytes(chunk)
                piece = piece[: size - sent]
                await response.write(piece)
                sent += len(piece)
                self.streamed[path] = sent
        except (ConnectionResetError, RuntimeError, OSError):
            pass  # the client hung up: what it took is in self.streamed
        self._wake()
        return response

    async def _m_getme(self, params: dict[str, Any]) -> Any:
        return self.me

    async def _m_getupdates(self, params: dict[str, Any]) -> Any:
        if self.webhook["url"]:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(0.0, float(params.get("timeout") or 0))
        if params.get("allowed_updates") is not None:
            self.allowed_updates = list(params["allowed_updates"]) or None
        if offset > 0:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
            self.confirmed_offset = max(self.confirmed_offset, offset)
        elif offset < 0:
            self.pending = self.pending[offset:]
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            changed = self._changed_event()
            ready = [u for u in self.pending if u["update_id"] >= offset][:limit]
            if ready or self._closing:
                return ready
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return []
            try:
                async with asyncio.timeout(remaining):
                    await changed.wait()
            except TimeoutError:
                return []

    async def _m_setwebhook(self, params: dict[str, Any]) -> Any:
        url = str(params.get("url") or "")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.fullmatch(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if url:
            parts = urlsplit(url)
            if parts.scheme != "https":
                raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
            if parts.port not in _WEBHOOK_PORTS:
                raise ApiError(
                    400,
                    "Bad Request: bad webhook: Webhook can be set up only on ports "
                    "80, 88, 443 or 8443",
                )
        if params.get("allowed_updates") is not None:
            self.allowed_updates = list(params["allowed_updates"]) or None
        if params.get("drop_pending_updates"):
            self.pending.clear()
        self.webhook = {"url": url, "secret_token": secret}
        return True

    async def _m_deletewebhook(self, params: dict[str, Any]) -> Any:
        if params.get("drop_pending_updates"):
            self.pending.clear()
        self.webhook = {"url": "", "secret_token": None}
        return True

    async def _m_getwebhookinfo(self, params: dict[str, Any]) -> Any:
        info: dict[str, Any] = {
            "url": self.webhook["url"],
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }
        if self.webhook["url"]:
            info["max_connections"] = 40
            if self.allowed_updates is not None:
                info["allowed_updates"] = self.allowed_updates
        return info

    async def _m_setmycommands(self, params: dict[str, Any]) -> Any:
        commands = params.get("commands")
        if not isinstance(commands, list) or not 1 <= len(commands) <= 100:
            raise ApiError(400, "Bad Request: commands not specified")
        for command in commands:
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not _COMMAND.fullmatch(name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise ApiError(400, "Bad Request: command description is empty or too long")
        self.commands[str(params.get("language_code") or "")] = commands
        return True

    async def _m_getmycommands(self, params: dict[str, Any]) -> Any:
        return self.commands_for(params.get("language_code"))

    async def _m_sendmessage(self, params: dict[str, Any]) -> Any:
        chat_id = _chat_id(params)
        text = params.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > TEXT_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        if markup is not None and not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        _check_markup(markup)
        self._check_rate()
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": self.me,
            "chat": self._chats.get(chat_id, self.private_chat(chat_id)),
            "date": int(time.time()),
            "text": text,
        }
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup  # a Message shows inline keyboards only
        sent = Sent(chat_id, message, markup)
        self.sent.append(sent)
        self._messages[(chat_id, sent.message_id)] = sent
        return message

    async def _m_answercallbackquery(self, params: dict[str, Any]) -> Any:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._callback_ids:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        return True

    async def _m_editmessagereplymarkup(self, params: dict[str, Any]) -> Any:
        chat_id = _chat_id(params)
        sent = self._messages.get((chat_id, int(params.get("message_id") or 0)))
        if sent is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        _check_markup(markup)
        if markup == sent.markup or (not markup and not sent.markup):
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup of "
                "the message",
            )
        if markup:
            sent.message["reply_markup"] = markup
        else:
            sent.message.pop("reply_markup", None)
        sent.message["edit_date"] = int(time.time())
        return sent.message

    async def _m_getfile(self, params: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id") or "")
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        data, path = self.files[file_id]
        if len(data) > MAX_DOWNLOAD_BYTES:
            raise ApiError(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{zlib.crc32(file_id.encode()):08x}",
            "file_size": len(data),
            "file_path": path,
        }

    # --- HTTP: control API for a fake in another process ---------------------------------------

    async def _control_inject(self, request: web.Request) -> web.Response:
        body = await request.json()
        updates = body if isinstance(body, list) else [body]
        ids = [self.inject(update) for update in updates]
        return web.json_response({"update_ids": ids})

    async def _control_text(self, request: web.Request) -> web.Response:
        body = await request.json()
        update = self.text_update(
            int(body["chat_id"]), str(body["text"]), language_code=body.get("language_code")
        )
        return web.json_response({"update_id": self.inject(update)})

    async def _control_press(self, request: web.Request) -> web.Response:
        body = await request.json()
        try:
            update = self.press_update(
                int(body["chat_id"]), str(body["label"]), language_code=body.get("language_code")
            )
        except LookupError as error:
            return web.json_response({"error": str(error)}, status=404)
        return web.json_response({"update_id": self.inject(update)})

    async def _control_fail_next(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.fail_next(
            str(body["method"]),
            int(body.get("n", 1)),
            int(body.get("error_code", 500)),
            body.get("description"),
            body.get("retry_after"),
        )
        return web.json_response({"ok": True})

    async def _control_cap(self, request: web.Request) -> web.Response:
        body = await request.json()
        value = body.get("per_second")
        self.cap_per_second = int(value) if value is not None else None
        return web.json_response({"ok": True})

    async def _control_reset(self, request: web.Request) -> web.Response:
        self.calls.clear()
        self.sent.clear()
        self.downloads.clear()
        self.pending.clear()
        self.rate_limited = 0
        return web.json_response({"ok": True})

    async def _control_calls(self, request: web.Request) -> web.Response:
        since = int(request.query.get("since", "0"))
        calls = self.calls[since:]
        if "method" in request.query:
            wanted = _canonical(request.query["method"])
            calls = [call for call in calls if _canonical(call.method) == wanted]
        return web.json_response([call.as_json() for call in calls])

    async def _control_stats(self, request: web.Request) -> web.Response:
        counts = Counter(call.method for call in self.calls)
        return web.json_response(
            {
                "calls": dict(counts),
                "sent": len(self.sent),
                "rate_limited": self.rate_limited,
                "pending_updates": len(self.pending),
            }
        )

    # --- internals ---------------------------------------------------------------------------

    def _changed_event(self) -> asyncio.Event:
        return self._changed

    def _wake(self) -> None:
        """Wakes everyone waiting for a change (a fresh event for the next wait)."""
        self._changed.set()
        self._changed = asyncio.Event()

    def _allowed(self, update: dict[str, Any]) -> bool:
        kinds = [key for key in update if key != "update_id"]
        if not kinds:
            return False
        if self.allowed_updates is None:
            return kinds[0] not in _NOT_BY_DEFAULT
        return kinds[0] in self.allowed_updates

    def _remember(self, update: dict[str, Any]) -> None:
        """Remembers chats and callback query ids that appear in injected updates."""
        for value in update.values():
            if not isinstance(value, dict):
                continue
            chat = value.get("chat")
            if isinstance(chat, dict) and "id" in chat:
                self._chats[int(chat["id"])] = chat
            if "chat_instance" in value and "id" in value:
                self._callback_ids.add(str(value["id"]))

    def _check_rate(self) -> None:
        if self.cap_per_second is None:
            return
        now = time.monotonic()
        while self._send_times and self._send_times[0] <= now - 1.0:
            self._send_times.popleft()
        if len(self._send_times) >= self.cap_per_second:
            retry_after = max(1, math.ceil(self._send_times[0] + 1.0 - now))
            self.rate_limited += 1
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after)
        self._send_times.append(now)


def _requests_contact(markup: dict[str, Any] | None) -> bool:
    if not markup:
        return False
    rows = markup.get("keyboard") or []
    return any(isinstance(b, dict) and b.get("request_contact") for row in rows for b in row)


def _chat_id(params: dict[str, Any]) -> int:
    value = params.get("chat_id")
    if value is None or value == "":
        raise ApiError(400, "Bad Request: chat_id is empty")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, "Bad Request: chat not found") from None


def _check_markup(markup: dict[str, Any] | None) -> None:
    if not markup:
        return
    for row in markup.get("inline_keyboard") or []:
        for button in row:
            if not str(button.get("text", "")).strip():
                raise ApiError(
                    400, "Bad Request: text buttons are unallowed in the inline keyboard"
                )
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= CALLBACK_DATA_LIMIT:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _decode(key: str, value: str) -> Any:
    """Form values are strings; numbers, booleans and nested objects arrive JSON-encoded."""
    if key in _STRING_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _params(request: web.Request) -> dict[str, Any]:
    """The call's parameters from the query string and a JSON, urlencoded or multipart
    body, with JSON-encoded fields decoded."""
    params: dict[str, Any] = {key: _decode(key, value) for key, value in request.query.items()}
    if not request.can_read_body:
        return params
    content_type = request.content_type
    if content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ApiError(400, "Bad Request: can't parse JSON") from None
        if not isinstance(body, dict):
            raise ApiError(400, "Bad Request: parameters must be a JSON object")
        params.update(body)
    elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                params[key] = value.file.read()
            else:
                params[key] = _decode(key, str(value))
    return params


# --- standalone process ------------------------------------------------------------------


async def _serve(
    host: str, port: int, token: str, cap_per_second: int | None, latency: float
) -> None:
    fake = FakeTelegram(token, cap_per_second=cap_per_second, latency=latency)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    url = await fake.start(host, port)
    print(f"fake Telegram Bot API at {url} (token {token})", file=sys.stderr, flush=True)
    print(f"ready {url}", flush=True)  # the port the system picked, with --port 0
    try:
        await stop.wait()
    finally:
        await fake.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A fake Telegram Bot API server.")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (0: any)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--token", default=TOKEN, help="the only bot token accepted")
    parser.add_argument(
        "--cap-per-second",
        type=int,
        default=None,
        help="answer 429 (retry_after) to sendMessage beyond N per second",
    )
    parser.add_argument(
        "--latency-ms", type=float, default=0.0, help="wait this long before every answer"
    )
    args = parser.parse_args(argv)
    latency = args.latency_ms / 1000
    asyncio.run(_serve(args.host, args.port, args.token, args.cap_per_second, latency))
    return 0


if __name__ == "__main__":
    sys.exit(main())
