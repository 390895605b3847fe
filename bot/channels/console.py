"""The console channel: the same conversation in a terminal, one line in, replies out.

Buttons are shown numbered and can be answered by number or by typing the label. It reads
stdin to the end, so a script can pipe a whole complaint through it; an existing file path
at the screenshot step is taken as the screenshot.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import re
import threading
import uuid
from functools import partial
from pathlib import Path
from typing import TextIO

from bot.domain.i18n import translator
from bot.domain.messages import (
    Attachment,
    Choice,
    ChoicePressed,
    ChoicePrompt,
    Command,
    ConversationKey,
    Inbound,
    Language,
    Outbound,
    Payload,
    PhoneRequest,
    Text,
)
from bot.domain.statuses import Channel
from bot.service.conversation import ConversationService
from bot.service.notices import Sender
from storage.base import Store

CHANNEL = Channel.CONSOLE
_MAX_PATH_LENGTH = 1024
_COMMAND = re.compile(r"/([A-Za-z_]{1,32})(?:\s+(.*))?", re.DOTALL)


def read_line(line: str, choices: tuple[Choice, ...]) -> Payload:
    """What one typed line means, given the buttons shown last."""
    text = line.strip()
    attachment = _attachment(text)
    if attachment is not None:
        return attachment
    command = _COMMAND.fullmatch(text)
    if command is not None:
        return Command(command.group(1).lower(), (command.group(2) or "").strip())
    if text.isdigit() and 0 < int(text) <= len(choices):
        return ChoicePressed(choices[int(text) - 1].id)
    return Text(line.rstrip("\n"))


def _attachment(text: str) -> Attachment | None:
    if not text or len(text) > _MAX_PATH_LENGTH or "\x00" in text:
        return None
    path = Path(text).expanduser()
    try:
        if not path.is_file():
            return None
        data = path.read_bytes()
    except (OSError, ValueError):
        return None
    mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    kind = "photo" if mime_type.startswith("image/") else "document"
    return Attachment(
        file_ref=str(path.resolve()),
        mime_type=mime_type,
        size_bytes=len(data),
        kind=kind,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def render(reply: Outbound) -> tuple[str, tuple[Choice, ...]]:
    if isinstance(reply, ChoicePrompt | PhoneRequest):
        lines = [reply.text, *(f"  {i}. {c.label}" for i, c in enumerate(reply.choices, 1))]
        return "\n".join(lines), reply.choices
    return with_number_hint(reply.text), ()


def with_number_hint(text: str) -> str:
    """Only here do buttons have numbers, so only here does "please choose one of the
    options" go on with "you can also type its number" (in the language it was said in)."""
    for language in Language:
        t = translator(language)
        asked = t("error.pick_button")
        if asked in text:
            text = text.replace(asked, f"{asked} {t('console.type_number')}")
    return text


def console_sender(stdout: TextIO) -> Sender:
    """Status notices for the console user appear in the terminal as they arrive."""

    async def send(user_id: str, text: str) -> bool:
        stdout.write(text + "\n\n")
        stdout.flush()
        return True

    return send


def _read_lines(stdin: TextIO, loop: asyncio.AbstractEventLoop) -> asyncio.Queue[str | None]:
    """Lines from a daemon thread, so a blocked terminal read never holds up shutdown."""
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def pump() -> None:
        for line in stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=pump, name="console-stdin", daemon=True).start()
    return queue


async def run_console(
    service: ConversationService,
    stdin: TextIO,
    stdout: TextIO,
    *,
    user_id: str = "demo",
    echo: bool = False,
) -> None:
    key = ConversationKey(CHANNEL, user_id)
    stdout.write("Console demo. Type a message (for example: नमस्ते or hello). Ctrl-D quits.\n")
    stdout.flush()
    lines = _read_lines(stdin, asyncio.get_running_loop())
    choices: tuple[Choice, ...] = ()
    while (line := await lines.get()) is not None:
        if not line.strip():
            continue
        if echo:
            stdout.write(f"> {line.rstrip()}\n")
        payload = read_line(line, choices)
        inbound = Inbound(key=key, message_id=uuid.uuid4().hex, payload=payload)
        replies = await service.handle(inbound)
        if replies:  # the buttons of this answer's question, none if it has none
            choices = ()
        for reply in replies:
            text, shown = render(reply.outbound)
            if shown or isinstance(reply.outbound, ChoicePrompt | PhoneRequest):
                choices = shown
            stdout.write(text + "\n\n")
        stdout.flush()
        # On the screen: nothing to send again.
        await service.runner.transaction(partial(_forget, [reply.id for reply in replies]))


def _forget(reply_ids: list[int], store: Store) -> None:
    store.forget_replies(reply_ids)
