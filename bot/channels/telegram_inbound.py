"""Telegram updates in: what one update means to the core, and the files it carries.

Translation only. A private message or a button press becomes the core's `Payload`; a
photo or document is streamed straight to disk under EVIDENCE_DIR and stops at the cap
(a self-hosted Bot API server allows files of 2 GB, and a file's announced size may be
missing or false), so a large file never sits in memory.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from aiogram import Bot
from aiogram.types import Message, Update

from bot.channels.evidence import EvidenceWriter, TooLarge, too_large
from bot.domain.messages import (
    Attachment,
    ChoicePressed,
    Command,
    ContactShared,
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
    def __init__(self, bot: Bot, *, evidence_dir: Path, max_attachment_bytes: int) -> None:
        self.bot = bot
        self.evidence_dir = evidence_dir
        self.max_attachment_bytes = max_attachment_bytes

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
        if message.photo:
            largest = message.photo[-1]
            return await self.fetch(largest.file_id, largest.file_size, "image/jpeg", "photo")
        if message.document is not None:
            document = message.document
            mime = document.mime_type or "application/octet-stream"
            return await self.fetch(document.file_id, document.file_size, mime, "document")
        return Unsupported(message.content_type)

    async def fetch(self, file_id: str, size: int | None, mime: str, kind: str) -> Attachment:
        """Saves the file under EVIDENCE_DIR named by its SHA-256. A file announced over
        the cap is not downloaded at all; one that turns out larger is cut off at the cap
        and dropped. Either way the core explains the limit to the person."""
        if size is not None and size > self.max_attachment_bytes:
            return too_large(size, mime, kind)
        file = await self.bot.get_file(file_id)
        folder = self.evidence_dir / Channel.TELEGRAM
        with EvidenceWriter(folder, self.max_attachment_bytes) as writer:
            try:
                await self.bot.download_file(
                    file.file_path or "", destination=cast(BinaryIO, writer), seek=False
                )
            except TooLarge:
                log.info("a %s from Telegram passed the cap while downloading", kind)
                return too_large(writer.size, mime, kind)
            return writer.keep(mime, kind)
