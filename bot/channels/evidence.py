"""Where a channel keeps the screenshots and documents victims send.

One rule for every channel: a file is written to disk as it arrives (never held whole in
memory) and stops at the cap; only JPEG, PNG, WebP and PDF are kept, judged by their
first bytes, not by what the sender claims; nothing is written when the disk is nearly
full (a full disk would stop every answer and registration, not only files); a kept
file is named by its SHA-256 under EVIDENCE_DIR/<channel>, readable by the bot's user
only, and appears under that name only once completely written.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import shutil
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO, cast

from bot.domain.messages import Attachment, FileNotKept, FileProblem

log = logging.getLogger(__name__)

# The kinds of file kept as evidence: their magic numbers (offset, bytes) and extension.
_KINDS: tuple[tuple[tuple[tuple[int, bytes], ...], str, str], ...] = (
    (((0, b"\xff\xd8\xff"),), "image/jpeg", ".jpg"),
    (((0, b"\x89PNG\r\n\x1a\n"),), "image/png", ".png"),
    (((0, b"RIFF"), (8, b"WEBP")), "image/webp", ".webp"),
    (((0, b"%PDF-"),), "application/pdf", ".pdf"),
)
_SNIFF_BYTES = 16
UNKNOWN_TYPE = "application/octet-stream"


class TooLarge(Exception):
    """Raised by `EvidenceWriter.write` the moment a file passes the cap."""


class NotEvidence(Exception):
    """Raised by `EvidenceWriter.write` when the first bytes are no kept kind of file."""


def too_large(size: int, mime: str, kind: str) -> Attachment:
    """What the core is told about a file that was (or would be) over the cap."""
    return Attachment(file_ref="", mime_type=mime, size_bytes=size, kind=kind)


def not_fetched(mime: str, kind: str, size: int | None = None) -> Attachment:
    """A file the bot did not download: the core explains why (not now, too many...)."""
    return Attachment(file_ref="", mime_type=mime, size_bytes=size or 0, kind=kind)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(MIME type, extension) of a kept kind of file from its first bytes, or None."""
    for magics, mime, extension in _KINDS:
        if all(head[at : at + len(magic)] == magic for at, magic in magics):
            return mime, extension
    return None


def private_folder(folder: Path) -> Path:
    """`folder`, and each parent this creates, readable by the bot's user only (0700)."""
    missing = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        path.mkdir(mode=0o700, exist_ok=True)
        path.chmod(0o700)  # whatever the umask said
    folder.chmod(0o700)
    return folder


class EvidenceWriter(io.RawIOBase):
    """A file being received: chunks go to a hidden `.part` file (0600) and into the hash;
    the write that passes `max_bytes`, or first bytes of a kind not kept, raise (which
    stops a download streaming into it). `keep` names the file by its hash; leaving the
    `with` block without keeping it removes the partial file."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        super().__init__()
        self.folder = private_folder(folder)
        self.max_bytes = max_bytes
        self.size = 0
        self.kind: tuple[str, str] | None = None
        self._head = b""
        self._hash = hashlib.sha256()
        self._partial = self.folder / f".{uuid.uuid4().hex}.part"
        descriptor = os.open(self._partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._file = os.fdopen(descriptor, "wb")

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        data = bytes(chunk)
        self.size += len(data)
        if self.size > self.max_bytes:
            raise TooLarge(self.size)
        if self.kind is None and len(self._head) < _SNIFF_BYTES:
            self._head = (self._head + data)[:_SNIFF_BYTES]
            if len(self._head) == _SNIFF_BYTES:
                self.kind = sniff(self._head)
                if self.kind is None:
                    raise NotEvidence(self._head[:8])
        self._hash.update(data)
        self._file.write(data)
        return len(data)

    def keep(self, kind: str) -> Attachment:
        self._file.close()
        found = self.kind or sniff(self._head)
        if found is None:
            return not_fetched(UNKNOWN_TYPE, kind, self.size)
        mime, extension = found
        digest = self._hash.hexdigest()
        final = self.folder / f"{digest}{extension}"
        self._partial.replace(final)
        return Attachment(
            file_ref=str(final), mime_type=mime, size_bytes=self.size, kind=kind, sha256=digest
        )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._file.close()
        self._partial.unlink(missing_ok=True)
        super().__exit__(kind, error, trace)


Download = Callable[[BinaryIO], Awaitable[None]]


class EvidenceFolder:
    """One channel's folder of evidence files, with the rules above."""

    def __init__(self, folder: Path, max_bytes: int, *, min_free_bytes: int = 0) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.min_free_bytes = min_free_bytes

    def has_room(self, size: int | None = None) -> bool:
        """Enough free disk for this file and the reserve the database needs."""
        probe = self.folder if self.folder.exists() else self.folder.parent
        while not probe.exists():
            probe = probe.parent
        free = shutil.disk_usage(probe).free
        return free - (size or self.max_bytes) >= self.min_free_bytes

    async def receive(
        self, download: Download, *, claimed_mime: str, kind: str, announced: int | None
    ) -> Attachment | FileNotKept:
        """Downloads a file the conversation wants now, by the rules above."""
        if announced is not None and announced > self.max_bytes:
            return too_large(announced, claimed_mime, kind)
        if not self.has_room(announced):
            log.error("EVIDENCE_DIR is nearly full: a %s was not downloaded", kind)
            return FileNotKept(FileProblem.STORAGE_FULL)
        with EvidenceWriter(self.folder, self.max_bytes) as writer:
            try:
                await download(cast(BinaryIO, writer))
            except TooLarge:
                return too_large(writer.size, claimed_mime, kind)
            except NotEvidence:
                return not_fetched(UNKNOWN_TYPE, kind, writer.size)
            return writer.keep(kind)


def keep_evidence(folder: Path, data: bytes, mime: str, kind: str, max_bytes: int) -> Attachment:
    """The same rule for a file that is already in memory (tests, small files)."""
    if len(data) > max_bytes:
        return too_large(len(data), mime, kind)
    with EvidenceWriter(folder, max_bytes) as writer:
        try:
            writer.write(data)
        except NotEvidence:
            return not_fetched(UNKNOWN_TYPE, kind, len(data))
        return writer.keep(kind)
