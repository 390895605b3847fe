"""The screenshot reader as the conversation meets it: None (never an exception) when
Tesseract is missing, too slow or handed something that is no image; OCR off the event
loop; large images scaled first; photos told from screenshots and levelled.
"""

from __future__ import annotations

import asyncio
import io
import logging
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from bot.service import ocr_engine, screenshot_images, screenshots
from bot.service.ocr_engine import OcrEngine, Recognised
from bot.service.screenshot_images import (
    ImageTooLarge,
    deskew,
    load_image,
    looks_photographed,
    prepare,
    skew_angle,
    title_bar,
)
from bot.service.screenshots import ScreenshotReader
from tests.screens.corpus import NOW, make_sample
from tests.screens.fakes import invent_payment
from tests.screens.layouts import build_screen
from tests.screens.photo import photograph
from tests.screens.render import Painter


class SlowEngine:
    """Stands in for a Tesseract that takes `seconds` per image (it blocks its thread)."""

    def __init__(
        self, seconds: float, text: str = "Payment Successful\n₹500\nUTR 633198761234"
    ) -> None:
        self.seconds, self.text, self.calls = seconds, text, 0

    def recognise(self, image: Image.Image, timeout_seconds: float) -> Recognised:
        self.calls += 1
        time.sleep(self.seconds)
        return Recognised(self.text)

    def close(self) -> None:
        pass


def png(width: int = 720, height: int = 1600, colour: str = "white") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def real_reader() -> ScreenshotReader:
    reader = ScreenshotReader()
    if not reader.available:
        pytest.skip(f"Tesseract not installed: {reader.unavailable}")
    return reader


async def test_without_models_the_reader_is_unavailable_and_answers_none(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        reader = ScreenshotReader(tessdata=str(tmp_path))
    assert not reader.available
    assert "tesseract-ocr-hin" in (reader.unavailable or "")
    assert await reader.read(png(), NOW) is None
    assert reader.read_now(png(), NOW) is None
    assert [r.message for r in caplog.records if "will not be read" in r.message] != []


async def test_without_the_binding_the_reader_is_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "tesserocr", None)
    reader = ScreenshotReader()
    assert not reader.available
    assert "tesserocr" in (reader.unavailable or "")
    assert await reader.read(png(), NOW) is None


async def test_the_shared_reader_says_once_that_screenshots_are_not_read(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(ocr_engine, "TESSDATA_DIRS", ())
    monkeypatch.delenv("TESSDATA_PREFIX", raising=False)
    monkeypatch.setattr(screenshots, "_default", None)
    with caplog.at_level(logging.WARNING):
        for _ in range(3):
            assert await screenshots.read_screenshot(png(), NOW) is None
    assert len([r for r in caplog.records if "will not be read" in r.message]) == 1


async def test_a_slow_reading_times_out_as_none_without_holding_the_loop() -> None:
    reader = ScreenshotReader(engine=SlowEngine(1.0))
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    started = time.monotonic()
    assert await reader.read(png(), NOW, timeout=0.3) is None
    elapsed = time.monotonic() - started
    ticker.cancel()
    assert elapsed < 0.9
    assert ticks >= 10  # the loop went on serving others while OCR ran
    reader.close()


async def test_a_reading_waiting_for_a_busy_worker_counts_its_wait() -> None:
    engine = SlowEngine(0.5)
    reader = ScreenshotReader(engine=engine)
    first = asyncio.create_task(reader.read(png(), NOW, timeout=5))
    await asyncio.sleep(0.05)
    assert await reader.read(png(), NOW, timeout=0.2) is None  # queued behind the first
    readings = await first
    assert readings is not None
    assert readings[0].amount == Decimal(500)
    reader.close()
    assert engine.calls == 1  # the timed-out one never ran (and the first needed one pass)


async def test_a_quick_reading_returns_the_payment() -> None:
    reader = ScreenshotReader(engine=SlowEngine(0.0))
    readings = await reader.read(png(), NOW, timeout=5)
    assert readings is not None
    assert readings[0].amount == Decimal(500)
    reader.close()


@pytest.mark.parametrize("data", [b"", b"not an image", png()[:200]])
async def test_what_is_no_image_gives_none(data: bytes) -> None:
    reader = ScreenshotReader(engine=SlowEngine(0.0))
    assert await reader.read(data, NOW) is None
    assert await reader.read(Path("/nonexistent/screenshot.png"), NOW) is None
    reader.close()


def test_an_image_claiming_too_many_pixels_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screenshot_images, "MAX_PIXELS", 1000)
    with pytest.raises(ImageTooLarge):
        load_image(png(100, 100))
    reader = ScreenshotReader(engine=SlowEngine(0.0))
    assert reader.read_now(png(100, 100), NOW) is None


def test_large_images_are_scaled_and_dark_ones_inverted() -> None:
    page = prepare(load_image(png(1440, 3200, "black")))
    assert page.size == (1080, 2400)
    assert page.getpixel((10, 10)) == 255


def test_exif_orientation_is_applied() -> None:
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90 degrees: the phone was held sideways
    Image.new("RGB", (400, 300), "white").save(buffer, "JPEG", exif=exif)
    assert load_image(buffer.getvalue()).size == (300, 400)


def rendered(theme: str) -> Image.Image:
    rng = random.Random(3)
    screen = build_screen(rng, invent_payment(rng, NOW), "phonepe", "en", detailed=True)
    return Painter(screen, theme, 1080, 2400).paint()


def test_screenshots_and_photos_are_told_apart_and_photos_levelled() -> None:
    screenshot = prepare(rendered("light"))
    assert not looks_photographed(screenshot)
    assert skew_angle(screenshot) == 0
    assert deskew(screenshot) is screenshot
    photo = prepare(photograph(rendered("dark"), random.Random(5)))
    assert looks_photographed(photo)
    assert deskew(photo) is not photo or abs(skew_angle(photo)) < 1


def test_the_title_bar_is_found_on_a_light_screen() -> None:
    bar = title_bar(prepare(rendered("light")))
    assert bar is not None
    assert bar.height < 200
    assert title_bar(Image.new("L", (1080, 2400), 255)) is None


def test_a_plain_image_is_no_payment(real_reader: ScreenshotReader) -> None:
    assert real_reader.read_now(png(), NOW) == []


def test_tesseract_itself_is_stopped_at_the_deadline(
    real_reader: ScreenshotReader, tmp_path: Path
) -> None:
    page = prepare(load_image(make_sample(1, 0, False, tmp_path).path))
    engine = OcrEngine(screenshots.LANGUAGES)
    # Tesseract's own monitor stops it (Recognize returns false): nothing is read...
    stopped = engine.recognise(page, 0.001)
    assert stopped.timed_out and stopped.text == ""
    # ...while the same page with time enough is read whole (no wall-clock bound here:
    # on a loaded machine setting the image up alone can take longer than a deadline).
    whole = engine.recognise(page, 30)
    engine.close()
    assert not whole.timed_out and whole.text.strip()


async def test_a_real_screenshot_read_from_bytes(
    real_reader: ScreenshotReader, tmp_path: Path
) -> None:
    sample = make_sample(2026, 1, False, tmp_path)
    readings = await real_reader.read(sample.path.read_bytes(), NOW, timeout=30)
    assert readings is not None
    assert readings[0].amount == sample.label.amount
    assert readings[0].reference == sample.label.reference
