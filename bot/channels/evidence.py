"""Where a channel keeps the screenshots and documents victims send.

One rule for every channel: a file is written to disk as it arrives (never held whole in
memory), a file over the cap is not kept (the core explains the limit to the person), a
kept file is named by its SHA-256 under EVIDENCE_DIR/<channel>, and it appears under that
name only once completely written.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import uuid
from pathlib import Path
from types import TracebackType

from bot.domain.messages import Attachment


class TooLarge(Exception):
    """Raised by `EvidenceWriter.write` the moment a file passes the cap."""


def too_large(size: int, mime: str, kind: str) -> Attachment:
    """What the core is told about a file that was (or would be) over the cap."""
    return Attachment(file_ref="", mime_type=mime, size_bytes=size, kind=kind)


class EvidenceWriter(io.RawIOBase):
    """A file being received: chunks go to a hidden `.part` file and into the hash; the
    write that passes `max_bytes` raises `TooLarge` (which stops a download that is
    streaming into it). `keep` names the file by its hash; leaving the `with` block
    without keeping it removes the partial file."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        super().__init__()
        self.folder = folder
        self.max_bytes = max_bytes
        self.size = 0
        self._hash = hashlib.sha256()
        folder.mkdir(parents=True, exist_ok=True)
        self._partial = folder / f".{uuid.uuid4().hex}.part"
        self._file = self._partial.open("wb")

    def writable(self) -> bool:
        return True

    def write(self, chunk: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        data = bytes(chunk)
        self.size += len(data)
        if self.size > self.max_bytes:
            raise TooLarge(self.size)
        self._hash.update(data)
        self._file.write(data)
        return len(data)

    def keep(self, mime: str, kind: str) -> Attachment:
        self._file.close()
        digest = self._hash.hexdigest()
        final = self.folder / f"{digest}{mimetypes.guess_extension(mime) or ''}"
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


def keep_evidence(folder: Path, data: bytes, mime: str, kind: str, max_bytes: int) -> Attachment:
    """The same rule for a file that is already in memory (tests, small files)."""
    if len(data) > max_bytes:
        return too_large(len(data), mime, kind)
    with EvidenceWriter(folder, max_bytes) as writer:
        writer.write(data)
        return writer.keep(mime, kind)
