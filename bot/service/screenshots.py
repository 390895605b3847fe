"""Read a payment screenshot (or a photo of a payment screen) on this machine.

The conversation calls `read_screenshot` when a victim sends an image at a money-trail
step. OCR runs in a worker thread, never on the event loop, and within a time limit, so
a slow image delays nobody else's reply; large images are scaled down first. The answer
is what `bot.domain.parsing.screens` reads from the text (the same `PaymentText` as a
pasted SMS), or None when the image could not be read: Tesseract missing, time up, not
an image. None is not an error; the conversation simply asks as it does today.

Without Tesseract (or its English and Hindi models) the reader reports unavailable once
in the log and returns None for every image.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Protocol

from PIL import Image, UnidentifiedImageError

from bot.domain.parsing.screens import agree, read_payment_screen
from bot.domain.payments import PaymentText
from bot.service.ocr_engine import OcrEngine, OcrUnavailable, Recognised
from bot.service.screenshot_images import (
    ImageTooLarge,
    deskew,
    load_image,
    looks_photographed,
    prepare,
    title_bar,
)

__all__ = ["DEFAULT_TIMEOUT", "LANGUAGES", "ScreenshotReader", "read_screenshot", "screen_reader"]

log = logging.getLogger(__name__)

LANGUAGES = "eng+hin"
DEFAULT_TIMEOUT = 10.0  # seconds; on 2 cores a screenshot takes ~0.25 s, a photo ~0.55 s
Source = Path | bytes
SECOND_PASS_SCALE = 1.3
PHOTO_BOTH_PASSES = frozenset({"receiver_name"})


class Recogniser(Protocol):
    """What the reader needs of an OCR engine (`OcrEngine` is the real one)."""

    def recognise(self, image: Image.Image, timeout_seconds: float) -> Recognised: ...

    def close(self) -> None: ...


class ScreenshotReader:
    """Owns the OCR engine and the worker threads that run it.

    `workers` threads read images in parallel (one Tesseract instance each); one is
    right for a bot on two cores, since a reading is short and the replies share them.
    """

    def __init__(
        self,
        *,
        languages: str = LANGUAGES,
        tessdata: str | None = None,
        workers: int = 1,
        engine: Recogniser | None = None,
    ) -> None:
        """`engine` replaces Tesseract (tests give a slow or failing one)."""
        self.unavailable: str | None = None
        self._engine: Recogniser | None = engine
        if engine is None:
            try:
                self._engine = OcrEngine(languages, tessdata)
            except OcrUnavailable as reason:
                self.unavailable = str(reason)
                log.warning("screenshots will not be read: %s", reason)
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ocr")

    @property
    def available(self) -> bool:
        return self._engine is not None

    async def read(
        self, source: Source, now: datetime, *, timeout: float = DEFAULT_TIMEOUT
    ) -> list[PaymentText] | None:
        """The payments the image shows ([] for an image that shows none), or None when
        it could not be read within `timeout` seconds, waiting for a worker included."""
        if self._engine is None:
            return None
        deadline = time.monotonic() + timeout
        loop = asyncio.get_running_loop()
        job = loop.run_in_executor(self._executor, self.read_now, source, now, deadline)
        try:
            return await asyncio.wait_for(job, timeout)
        except TimeoutError:
            log.info("screenshot not read within %.1f s", timeout)
            return None

    def read_now(
        self, source: Source, now: datetime, deadline: float | None = None
    ) -> list[PaymentText] | None:
        """The same reading in the calling thread (the benchmark's way in); stops at
        `deadline` (time.monotonic()), by default DEFAULT_TIMEOUT from now."""
        if self._engine is None:
            return None
        deadline = deadline if deadline is not None else time.monotonic() + DEFAULT_TIMEOUT
        try:
            image = load_image(source)
        except (
            OSError,
            UnidentifiedImageError,
            ImageTooLarge,
            Image.DecompressionBombError,
        ) as error:
            log.info("screenshot not readable: %s", type(error).__name__)
            return None
        page = prepare(image)
        if not looks_photographed(page):
            return self._screenshot(page, now, deadline)
        return self._photo(deskew(page), now, deadline)

    def _screenshot(
        self, page: Image.Image, now: datetime, deadline: float
    ) -> list[PaymentText] | None:
        """One pass; a second, larger one only when the amount or the UTR was not read
        (the rupee sign read as a digit makes the amount ambiguous at one size and not
        at another), its values kept only where the first pass does not contradict them."""
        first = self._pass(page, now, deadline)
        if not first or (first[0].amount is not None and first[0].reference is not None):
            return first
        second = self._pass(_larger(page), now, deadline, with_title_bar=False)
        return first if second is None else agree(first, second)

    def _photo(self, page: Image.Image, now: datetime, deadline: float) -> list[PaymentText] | None:
        """A photographed screen is read twice, at two sizes, and values must not
        disagree; the receiver's name must be read alike by both. The receiver's UPI id
        is not taken from a photo at all: both passes read "chandrakar50@paytm" as
        "chandrakarso@paytm", since nothing in an id says whether "5" or "s" belongs."""
        first = self._pass(page, now, deadline)
        if first is None:
            return None
        second = self._pass(_larger(page), now, deadline, with_title_bar=False)
        if second is None:
            return None
        return [
            replace(payment, receiver_upi=None)
            for payment in agree(first, second, both=PHOTO_BOTH_PASSES)
        ]

    def _pass(
        self, page: Image.Image, now: datetime, deadline: float, *, with_title_bar: bool = True
    ) -> list[PaymentText] | None:
        """One OCR pass over the page (and its title bar, read on its own first)."""
        assert self._engine is not None
        parts = []
        bar = title_bar(page) if with_title_bar else None
        for region in (bar, page) if bar is not None else (page,):
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            recognised = self._engine.recognise(region, left)
            if recognised.timed_out:
                return None
            parts.append(recognised.text)
        return read_payment_screen("\n".join(parts), now)

    def close(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
        if self._engine is not None:
            self._engine.close()


def _larger(page: Image.Image) -> Image.Image:
    size = (round(page.width * SECOND_PASS_SCALE), round(page.height * SECOND_PASS_SCALE))
    return page.resize(size, Image.Resampling.LANCZOS)


_default: ScreenshotReader | None = None


async def read_screenshot(
    source: Source, now: datetime, *, timeout: float = DEFAULT_TIMEOUT
) -> list[PaymentText] | None:
    """Read with the process's shared reader, created (and Tesseract loaded) on first use."""
    global _default  # noqa: PLW0603 - one engine per process, made when first needed
    if _default is None:
        reader = await asyncio.to_thread(ScreenshotReader)  # loads the models: not on the loop
        if _default is None:
            _default = reader
        else:  # another first reading made one meanwhile
            reader.close()
    return await _default.read(source, now, timeout=timeout)


def screen_reader(
    timeout: float,
) -> Callable[[Path, datetime], Awaitable[list[PaymentText] | None]] | None:
    """The conversation service's way to read a screenshot, each within `timeout`
    seconds; None (pictures kept, not read) when `timeout` is 0."""
    if timeout <= 0:
        return None

    async def read(path: Path, now: datetime) -> list[PaymentText] | None:
        return await read_screenshot(path, now, timeout=timeout)

    return read
