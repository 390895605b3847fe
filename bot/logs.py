"""Logging for the running bot: one handler on the root logger, every record masked.

Logs are read by more people than complaints are, and they travel further (journald,
support tickets, screenshots), so two things never reach them in clear:

- personal identifiers: every record goes through `bot.domain.masking.mask`;
- secrets: the value of every secret setting (tokens, app secret, verify token, callback
  secret, reference key), also as it looks percent-encoded in a URL, and anything shaped
  like a Telegram bot token (aiogram puts the token in every Bot API and file URL).

The masking covers the whole record: the message with its arguments, the traceback and
the stack (a failed file download's traceback holds `.../file/bot<token>/...`), and
records of other libraries (aiohttp's access log carries the WhatsApp verify token in
the handshake's query string). Uncaught exceptions are logged through the same handler,
so even a crash prints no secret.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import TextIO

from bot.domain.masking import mask

HIDDEN = "***"
# BotFather's tokens: the bot id, a colon, 35 characters (20+ accepted, as in settings).
# No word boundary before the id: in URLs it follows "bot" (".../bot123:AA.../getMe").
TELEGRAM_TOKEN = re.compile(r"(?<![0-9])[0-9]{3,}(?::|%3[Aa])[A-Za-z0-9_-]{20,}")


def _any_encoding(char: str) -> str:
    """A pattern for one character of a secret as any encoder may have written it: as
    is, percent-encoded (either hex case), "+" for a space (query strings), or escaped
    as in JSON. Encoders differ in what they leave alone, so every character may be
    either way; one list of "the" encoded forms would miss some."""
    options = ["".join(f"%{byte:02X}" for byte in char.encode())]
    if not char.isascii():
        options.append(re.escape(char.encode("unicode_escape").decode()))
    if char in "\"'\\/":  # escaped in JSON or a repr (tried before the bare character)
        options.append(re.escape("\\" + char))
    if char == " ":
        options.append(r"\+")
    options.append(re.escape(char))
    return "(?:" + "|".join(options) + ")"


class Scrubber:
    """Replaces secrets, Telegram-token shapes and personal identifiers in a text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret that contains another is hidden whole.
        ordered = sorted({secret for secret in secrets if secret}, key=len, reverse=True)
        patterns = ["".join(map(_any_encoding, secret)) for secret in ordered]
        self._secrets = re.compile("|".join(patterns), re.IGNORECASE) if patterns else None

    def __call__(self, text: str) -> str:
        if self._secrets is not None:
            text = self._secrets.sub(HIDDEN, text)
        return mask(TELEGRAM_TOKEN.sub(HIDDEN, text))


class MaskingFilter(logging.Filter):
    """Rewrites a record before any handler formats it: message, traceback, stack."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self.scrub = Scrubber(secrets)
        self._formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the format
            message = f"{record.msg!s} {record.args!r}"
        record.msg = self.scrub(message)
        record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = self._formatter.formatException(record.exc_info)
        record.exc_info = None  # formatters now print the masked exc_text instead
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)
        return True


def configure_logging(
    level: str, secrets: Iterable[str] = (), stream: TextIO | None = None
) -> MaskingFilter:
    """One masked handler on the root logger (stderr unless `stream`), and uncaught
    exceptions, in the main thread or another, logged through it."""
    masking = MaskingFilter(secrets)
    handler = logging.StreamHandler(stream)
    handler.addFilter(masking)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    sys.excepthook = _log_uncaught
    threading.excepthook = _log_uncaught_in_thread
    return masking


def _log_uncaught(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    logging.getLogger("bot").critical("uncaught exception", exc_info=(kind, error, trace))


def _log_uncaught_in_thread(args: threading.ExceptHookArgs) -> None:
    if args.exc_value is not None:
        _log_uncaught(args.exc_type, args.exc_value, args.exc_traceback)
