"""Evidence files: kept by content hash, never over the cap, whichever channel sent them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bot.channels.evidence import keep_evidence


def test_a_file_is_kept_under_its_hash(tmp_path: Path) -> None:
    data = b"\xff\xd8\xff fake jpeg bytes"
    kept = keep_evidence(tmp_path / "telegram", data, "image/jpeg", "photo", 1024)
    digest = hashlib.sha256(data).hexdigest()
    assert kept.sha256 == digest
    assert Path(kept.file_ref) == tmp_path / "telegram" / f"{digest}.jpg"
    assert Path(kept.file_ref).read_bytes() == data
    assert kept.size_bytes == len(data)
    assert [p.name for p in (tmp_path / "telegram").iterdir()] == [f"{digest}.jpg"]


def test_a_file_over_the_cap_is_not_kept(tmp_path: Path) -> None:
    """Telegram does not always say a file's size before it is downloaded."""
    refused = keep_evidence(tmp_path / "telegram", b"x" * 2048, "application/pdf", "document", 1024)
    assert (refused.file_ref, refused.size_bytes, refused.sha256) == ("", 2048, "")
    assert not (tmp_path / "telegram").exists()
