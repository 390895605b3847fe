"""Where a channel keeps the screenshots and documents victims send.

One rule for every channel: a file over the cap is not kept (the core explains the limit
to the person), a kept file is named by its SHA-256 under EVIDENCE_DIR/<channel>, and it
appears under that name only once completely written.
"""

from __future__ import annotations

import hashlib
import mimetypes
import uuid
from pathlib import Path

from bot.domain.messages import Attachment


def too_large(size: int, mime: str, kind: str) -> Attachment:
    """What the core is told about a file that was (or would be) over the cap."""
    return Attachment(file_ref="", mime_type=mime, size_bytes=size, kind=kind)


def keep_evidence(folder: Path, data: bytes, mime: str, kind: str, max_bytes: int) -> Attachment:
    if len(data) > max_bytes:
        return too_large(len(data), mime, kind)
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(data).hexdigest()
    partial = folder / f".{uuid.uuid4().hex}.part"
    partial.write_bytes(data)
    final = folder / f"{digest}{mimetypes.guess_extension(mime) or ''}"
    partial.replace(final)
    return Attachment(
        file_ref=str(final), mime_type=mime, size_bytes=len(data), kind=kind, sha256=digest
    )
