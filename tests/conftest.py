"""Shared fixtures: a real SQLite store in a temporary folder, a clock the test controls,
and `FakeUser`, a conversational client that sends, presses and reads like a person."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.domain.clock import IST
from bot.domain.conversation import Conversation
from bot.domain.messages import (
    Attachment,
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
from storage.sqlite import SqliteStore

START = datetime(2026, 11, 27, 18, 0, tzinfo=IST)


class Clock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def max_in_any_second(times: list[float]) -> int:
    """The most moments that fall into any one-second window (rate-cap checks)."""
    times = sorted(times)
    best, start = 0, 0
    for end, moment in enumerate(times):
        while moment - times[start] >= 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


class FakeUser:
    """One person talking to the bot through the real service and store."""

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
    ) -> None:
        self.service = service
        self.operator = operator  # a police operator listed in ADMIN_TELEGRAM_IDS
        self.key = ConversationKey(channel, user_id)
        self.platform_language = platform_language
        self.sender_phone = sender_phone
        self.replies: list[Outbound] = []
        self.inputs = 0

    # --- acting ---------------------------------------------------------------------------

    def deliver(self, payload: Payload, message_id: str | None = None) -> list[Outbound]:
        inbound = Inbound(
            key=self.key,
            message_id=message_id or f"m{next(self._ids)}",
            payload=payload,
            platform_language=self.platform_language,
            sender_phone=self.sender_phone,
            operator=self.operator,
        )
        self.inputs += 1
        self.replies = self.service.process(inbound)
        return self.replies

    def send(self, text: str) -> list[Outbound]:
        return self.deliver(Text(text))

    def press(self, label: str) -> list[Outbound]:
        """Presses the button of the last prompt whose label contains `label` (or whose id
        equals it); fails the test if there is no such button, as a person would."""
        choices = self.choices
        for choice in choices:
            if choice.id == label:
                return self.deliver(ChoicePressed(choice.id))
        matches = [choice for choice in choices if label.casefold() in choice.label.casefold()]
        assert matches, f"no button {label!r} in {[c.label for c in choices]}"
        return self.deliver(ChoicePressed(matches[0].id))

    def become_operator(self, _: object = None) -> None:
        self.operator = True

    def command(self, name: str, args: str = "") -> list[Outbound]:
        return self.deliver(Command(name, args))

    def share_contact(self, phone: str) -> list[Outbound]:
        return self.deliver(ContactShared(phone))

    def send_photo(self, size: int = 50_000, mime: str = "image/jpeg") -> list[Outbound]:
        return self.deliver(
            Attachment(file_ref="file-1", mime_type=mime, size_bytes=size, sha256="ab" * 32)
        )

    def send_sticker(self) -> list[Outbound]:
        return self.deliver(Unsupported("sticker"))

    # --- reading --------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return "\n".join(reply.text for reply in self.replies)

    @property
    def last_prompt(self) -> Outbound:
        assert self.replies, "the bot said nothing"
        return self.replies[-1]

    @property
    def choices(self) -> tuple:  # type: ignore[type-arg]
        prompt = self.last_prompt
        return prompt.choices if isinstance(prompt, ChoicePrompt | PhoneRequest) else ()

    def sees(self, *fragments: str) -> None:
        for fragment in fragments:
            assert fragment in self.text, f"{fragment!r} not in reply:\n{self.text}"

    @property
    def state(self) -> Conversation:
        state = self.service.store.load_conversation(self.key)
        assert state is not None
        return state


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "bot.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[SqliteStore]:
    store = SqliteStore(db_path)
    yield store
    store.close()


@pytest.fixture
def service(store: SqliteStore, clock: Clock) -> ConversationService:
    return ConversationService(store, clock=clock)


@pytest.fixture
def user(service: ConversationService) -> FakeUser:
    return FakeUser(service)


@pytest.fixture
def hindi_user(service: ConversationService) -> FakeUser:
    return FakeUser(service, "victim-hi")
