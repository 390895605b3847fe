"""Issue 11, items 7 and 8: files are written only where the flow takes them, only of the
kinds kept as evidence (by content), never past the cap or into the disk's last reserve;
what is abandoned is cleaned up; nothing is ever held whole in memory."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from support.fake_telegram import FakeTelegram
from support.journeys import reach
from support.telegram import CAP_BYTES, Telegram, telegram_person
from support.timing import Clock

from bot.channels.evidence import EvidenceFolder
from bot.domain.messages import FileNotKept, FileProblem
from bot.service.conversation import ConversationService
from bot.service.database import runner_for
from bot.service.housekeeping import ABANDONED_FILE, Housekeeping
from storage.sqlite import SqliteStore


@pytest.fixture
async def tg(bot_api: FakeTelegram, service: ConversationService, tmp_path: Path) -> Telegram:
    channel = Telegram("webhook", bot_api, service, tmp_path / "evidence")
    await channel.start()
    yield channel  # type: ignore[misc]
    await channel.close()


def evidence_files(tg: Telegram) -> list[Path]:
    return [path for path in tg.evidence.rglob("*") if path.is_file()]


async def test_a_document_at_the_menu_is_not_even_downloaded(
    tg: Telegram, bot_api: FakeTelegram
) -> None:
    person = telegram_person(tg, 5550301)
    await person.send("नमस्ते")
    await person.send_document(b"<html><script>x</script></html>", mime_type="text/html",
                               file_name="page.html")  # fmt: skip
    person.sees("स्क्रीनशॉट")  # "I will ask for the screenshot later"
    assert bot_api.calls_of("getFile") == [] and bot_api.downloads == []
    assert evidence_files(tg) == []


@pytest.mark.parametrize(
    ("data", "name", "mime"),
    [
        (b"<html><script>alert(1)</script></html>", "page.html", "text/html"),
        (b"#!/bin/sh\nrm -rf /\n" + bytes(40), "run.sh", "application/x-sh"),
        (b"\x7fELF" + bytes(60), "payload", "application/octet-stream"),
        (b"<html>" + bytes(60), "fake.jpg", "image/jpeg"),  # lies about its type
    ],
)
async def test_only_images_and_pdfs_are_kept_judged_by_content(
    tg: Telegram, data: bytes, name: str, mime: str
) -> None:
    person = telegram_person(tg, 5550302, language_code=None)
    await reach(person, "evidence")
    await person.send_document(data, mime_type=mime, file_name=name)
    person.sees("photo", "PDF")  # the kinds we take
    assert evidence_files(tg) == []  # no file, no leftover .part


async def test_a_pdf_with_a_wrong_claimed_type_is_kept_as_a_pdf(tg: Telegram) -> None:
    person = telegram_person(tg, 5550303, language_code=None)
    await reach(person, "evidence")
    await person.send_document(b"%PDF-1.7\n" + bytes(500), mime_type="text/plain", file_name="x")
    [kept] = evidence_files(tg)
    assert kept.suffix == ".pdf"
    assert person.state.draft.evidence[0].mime_type == "application/pdf"


async def test_a_300_mb_document_claiming_1000_bytes_stops_at_the_cap(
    tg: Telegram, bot_api: FakeTelegram
) -> None:
    """It was read whole into memory (220 MB → 785 MB) before the cap applied."""
    person = telegram_person(tg, 5550304, language_code=None)
    await reach(person, "evidence")
    path = bot_api.add_endless_file("BQACAgUAAxkBAAIENDLESS", 300 * 1024 * 1024)
    update = bot_api.message_update(
        5550304,
        language_code=None,
        document={
            "file_id": "BQACAgUAAxkBAAIENDLESS",
            "file_unique_id": "AgADendless",
            "file_name": "statement.pdf",
            "mime_type": "application/pdf",
            "file_size": 1000,
        },
    )
    await person.send_raw(update)
    person.sees("10 MB")
    assert bot_api.streamed[path] < CAP_BYTES + 64 * 1024 * 1024  # cut off, not 300 MB
    assert evidence_files(tg) == []


async def test_a_nearly_full_disk_refuses_files_with_a_clear_message(
    tg: Telegram, tmp_path: Path
) -> None:
    person = telegram_person(tg, 5550305, language_code=None)
    await reach(person, "evidence")
    free = os.statvfs(tmp_path).f_bavail * os.statvfs(tmp_path).f_frsize
    tg.channel.reader.evidence = EvidenceFolder(
        tg.evidence / "telegram",
        CAP_BYTES,
        min_free_bytes=free + 1,  # the reserve is all
    )
    await person.send_photo(b"\xff\xd8\xff\xe0" + bytes(2000))
    person.sees("1930")  # cannot save files now; the complaint is safe; call 1930
    assert evidence_files(tg) == []
    assert person.state.step == "evidence"


async def test_evidence_folder_says_storage_full_before_writing(tmp_path: Path) -> None:
    folder = EvidenceFolder(tmp_path / "e", 1000, min_free_bytes=10**15)

    async def download(into: object) -> None:
        raise AssertionError("nothing may be downloaded")

    result = await folder.receive(download, claimed_mime="image/jpeg", kind="photo", announced=10)
    assert result == FileNotKept(FileProblem.STORAGE_FULL)


async def test_abandoned_and_half_written_files_are_cleaned_up(
    tmp_path: Path, store: SqliteStore, clock: Clock
) -> None:
    folder = tmp_path / "evidence" / "telegram"
    folder.mkdir(parents=True)
    old = time.time() - ABANDONED_FILE.total_seconds() - 60
    abandoned, partial, fresh = folder / "old.jpg", folder / ".x.part", folder / "fresh.jpg"
    for path in (abandoned, partial, fresh):
        path.write_bytes(b"\xff\xd8\xff")
    for path in (abandoned, partial):
        os.utime(path, (old, old))
    await Housekeeping(runner_for(store), clock, tmp_path / "evidence").once()
    assert sorted(p.name for p in folder.iterdir()) == ["fresh.jpg"]
