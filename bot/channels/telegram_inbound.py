"""Telegram updates in: what one update means to the core, and the files it carries.

Translation only. A private message or a button press becomes the core's `Payload`; a
photo or document is streamed straight to disk under EVIDENCE_DIR and stops at the cap
(a self-hosted Bot API server allows files of 2 GB, and a file's announced size may be
missing or false), so a large file never sits in memory.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import BinaryIO

from aiogram import Bot
from aiogram.types import Message, Update

from bot.channels.evidence import EvidenceFolder, not_fetched, too_large
from bot.domain.messages import (
    Attachment,
    ChoicePressed,
    Command,
    ContactShared,
    ConversationKey,
    FileNotKept,
    Payload,
    Text,
    Unsupported,
)
from bot.domain.statuses import Channel

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Incoming:
    """One update as the conversation needs it."""

    chat_id: int
    payload: Payload
    language: str | None  # the app's language, when Telegram tells it
    sender: int | None  # the Telegram user id (operators are recognised by it)


class UpdateReader:
    def __init__(
        self,
        bot: Bot,
        *,
        evidence: EvidenceFolder,
        wants_file: Callable[[ConversationKey, str], Awaitable[bool]],
    ) -> None:
        self.bot = bot
        self.evidence = evidence
        self.wants_file = wants_file

    async def read(self, update: Update) -> Incoming | None:
        """None for what the bot does not answer: edited messages, groups, channels."""
        if update.callback_query is not None:
            query = update.callback_query
            chat_id = query.message.chat.id if query.message is not None else query.from_user.id
            return Incoming(
                chat_id,
                ChoicePressed(query.data or ""),
                query.from_user.language_code,
                query.from_user.id,
            )
        message = update.message
        if message is None or message.chat.type != "private":
            return None
        user = message.from_user
        return Incoming(
            message.chat.id,
            await self.payload(message),
            user.language_code if user else None,
            user.id if user else None,
        )

    async def payload(self, message: Message) -> Payload:
        if message.text is not None:
            if message.text.startswith("/") and len(message.text) > 1:
                head, _, args = message.text[1:].partition(" ")
                return Command(head.split("@", 1)[0].lower(), args.strip())
            return Text(message.text)
        if message.contact is not None:
            return ContactShared(message.contact.phone_number)
        key = ConversationKey(Channel.TELEGRAM, str(message.chat.id))
        if message.photo:
            largest = message.photo[-1]
            return await self.fetch(key, largest.file_id, largest.file_size, "image/jpeg", "photo")
        if message.document is not None:
            document = message.document
            mime = document.mime_type or "application/octet-stream"
            return await self.fetch(key, document.file_id, document.file_size, mime, "document")
        return Unsupported(message.content_type)

    async def fetch(
        self, key: ConversationKey, file_id: str, size: int | None, mime: str, kind: str
    ) -> Attachment | FileNotKept:
        """The file, when the conversation wants one now, kept by the rules of
        `EvidenceFolder`: a file announced over the cap is not downloaded, one that turns
        out larger is cut off at the cap. A failing getFile or download raises, so the
        update is tried again (and the person asked to resend it if it keeps failing)."""
        if not await self.wants_file(key, mime):
            return not_fetched(mime, kind, size)
        if size is not None and size > self.evidence.max_bytes:
            return too_large(size, mime, kind)
        file = await self.bot.get_file(file_id)

        async def download(into: BinaryIO) -> None:
            await self.bot.download_file(file.file_path or "", destination=into, seek=False)

        return await self.evidence.receive(download, claimed_mime=mime, kind=kind, announced=size)
