"""One conversation driver for every channel: a person who sends, presses, shares and reads.

`Person` talks through a `Link`: in-process through the conversation service
(`ServiceLink`), or over real HTTP through the Telegram or WhatsApp fakes
(`support.telegram.TelegramLink`, `support.whatsapp.WhatsAppLink`). The same journey
(`support.journeys`) therefore runs on every channel, and a test reads like the
conversation it checks: send, press, sees.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from bot.channels.whatsapp_render import MORE_PREFIX
from bot.domain.conversation import Conversation
from bot.domain.messages import (
    Attachment,
    Choice,
    ChoicePressed,
    ChoicePrompt,
    Command,
    ContactShared,
    ConversationKey,
    Inbound,
    Outbound,
    Payload,
    PhoneRequest,
    Text,
    Unsupported,
)
from bot.service.conversation import ConversationService
from storage.base import Store


@dataclass(frozen=True, slots=True)
class Upload:
    """A photo or document as the person's phone sends it."""

    data: bytes
    mime_type: str = "image/jpeg"
    kind: str = "photo"
    file_name: str = "screenshot.jpg"
    announced_size: int | None = None  # what the platform says before the download


@dataclass(frozen=True, slots=True)
class Raw:
    """Something only one platform sends, in its own shape (a Telegram update, a WhatsApp
    message object), for tests of that channel's edge."""

    body: dict[str, Any]


Action = Payload | Upload | Raw


@dataclass(frozen=True, slots=True)
class Reply:
    """One message the person received: its text, its buttons, and the channel's own
    object (`raw`) for tests that check how a platform shows it."""

    text: str
    choices: tuple[Choice, ...] = ()
    asks_contact: bool = False
    raw: Any = None


class Link(Protocol):
    """How a person's actions reach the bot on one channel."""

    key: ConversationKey
    store: Store

    async def deliver(self, action: Action, message_id: str | None = None) -> list[Reply]:
        """Sends one action and returns what the bot answered to it."""


@dataclass
class Person:
    link: Link
    replies: list[Reply] = field(default_factory=list)
    inputs: int = 0

    # --- acting ---------------------------------------------------------------------------

    async def deliver(self, action: Action, message_id: str | None = None) -> list[Reply]:
        self.inputs += 1
        self.replies = await self.link.deliver(action, message_id)
        return self.replies

    async def send(self, text: str) -> list[Reply]:
        return await self.deliver(Text(text))

    async def command(self, name: str, args: str = "") -> list[Reply]:
        return await self.deliver(Command(name, args))

    async def share_contact(self, phone: str) -> list[Reply]:
        return await self.deliver(ContactShared(phone))

    async def send_photo(
        self, data: bytes | None = None, *, size: int | None = None, mime: str = "image/jpeg"
    ) -> list[Reply]:
        """A photo; `size` is what the platform announces before the download (the data's
        length by default). Without `data`, a small stand-in announced as `size` or 50 kB:
        enough for the conversation, which only sees the file's facts."""
        if data is None:
            data, size = fake_jpeg(64), size or 50_000
        return await self.deliver(Upload(data, mime, announced_size=size))

    async def send_raw(self, body: dict[str, Any]) -> list[Reply]:
        return await self.deliver(Raw(body))

    async def send_document(
        self, data: bytes, *, mime_type: str, file_name: str, announced_size: int | None = None
    ) -> list[Reply]:
        upload = Upload(data, mime_type, "document", file_name, announced_size)
        return await self.deliver(upload)

    async def send_sticker(self) -> list[Reply]:
        return await self.deliver(Unsupported("sticker"))

    async def press(self, label: str) -> list[Reply]:
        """Presses the button of the latest question whose id equals `label` or whose
        label contains it, paging through a long WhatsApp list; fails the test, as it
        would fail a person, when there is no such button."""
        for _ in range(10):
            choices = self.choices
            found = _find(choices, label)
            if found is not None:
                return await self.deliver(ChoicePressed(found.id))
            more = [choice for choice in choices if choice.id.startswith(MORE_PREFIX)]
            assert more, f"no button {label!r} in {[c.label for c in choices]}\n{self.text}"
            self.inputs -= 1  # turning a page is not an answer
            await self.deliver(ChoicePressed(more[0].id))
        raise AssertionError("the list's pages never end")

    # --- reading --------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.replies)

    @property
    def last(self) -> Reply:
        assert self.replies, "the bot said nothing"
        return self.replies[-1]

    @property
    def choices(self) -> tuple[Choice, ...]:
        """The buttons of the latest message that has any."""
        return next((r.choices for r in reversed(self.replies) if r.choices), ())

    def sees(self, *fragments: str) -> None:
        for fragment in fragments:
            assert fragment in self.text, f"{fragment!r} not in reply:\n{self.text}"

    def does_not_see(self, *fragments: str) -> None:
        for fragment in fragments:
            assert fragment not in self.text, f"{fragment!r} in reply:\n{self.text}"

    @property
    def key(self) -> ConversationKey:
        return self.link.key

    @property
    def state(self) -> Conversation:
        with self.link.store.transaction():
            state = self.link.store.load_conversation(self.link.key)
        assert state is not None, "no conversation stored"
        return state


def _find(choices: Sequence[Choice], label: str) -> Choice | None:
    for choice in choices:
        if choice.id == label:
            return choice
    matches = [c for c in choices if label.casefold() in c.label.casefold()]
    return matches[0] if matches else None


def fake_jpeg(size: int) -> bytes:
    """JPEG magic bytes followed by filler: enough for the bot to take it as a photo."""
    return b"\xff\xd8\xff\xe0" + bytes(max(0, size - 4))


# --- in process: straight through the conversation service -----------------------------------


class ServiceLink:
    """A person on an imaginary channel, through the real service and store: the fastest
    way to test the conversation itself."""

    _ids = itertools.count(1)

    def __init__(
        self,
        service: ConversationService,
        user_id: str = "victim-1",
        *,
        channel: str = "test",
        platform_language: str | None = None,
        sender_phone: str | None = None,
        operator: bool = False,
        files: Path | None = None,
    ) -> None:
        """`files`: a folder where uploads are written, as a channel keeps them (the
        service's screenshot reader reads them there); without it a file is only named."""
        self.files = files
        self.service = service
        self.store = service.store
        self.key = ConversationKey(channel, user_id)
        self.platform_language = platform_language
        self.sender_phone = sender_phone
        self.operator = operator

    async def deliver(self, action: Action, message_id: str | None = None) -> list[Reply]:
        assert not isinstance(action, Raw), "no platform body in process"
        payload = _attachment(action, self.files) if isinstance(action, Upload) else action
        inbound = Inbound(
            key=self.key,
            message_id=message_id or f"m{next(self._ids)}",
            payload=payload,
            platform_language=self.platform_language,
            sender_phone=self.sender_phone,
            operator=self.operator,
        )
        inbound = await self.service.read_image(inbound)
        return [reply_of(queued.outbound) for queued in self.service.process(inbound)]


def _attachment(upload: Upload, files: Path | None) -> Attachment:
    size = upload.announced_size if upload.announced_size is not None else len(upload.data)
    digest = hashlib.sha256(upload.data).hexdigest()
    file_ref = f"file-{digest[:8]}"
    if files is not None:
        files.mkdir(parents=True, exist_ok=True)
        (files / file_ref).write_bytes(upload.data)
        file_ref = str(files / file_ref)
    return Attachment(
        file_ref=file_ref,
        mime_type=upload.mime_type,
        size_bytes=size,
        kind=upload.kind,
        sha256=digest,
    )


def reply_of(outbound: Outbound) -> Reply:
    choices = outbound.choices if isinstance(outbound, ChoicePrompt | PhoneRequest) else ()
    return Reply(outbound.text, choices, isinstance(outbound, PhoneRequest), outbound)


def person_on(service: ConversationService, user_id: str = "victim-1", **options: Any) -> Person:
    """A person talking to `service` in process (see `ServiceLink` for the options)."""
    return Person(ServiceLink(service, user_id, **options))
