"""Tesseract in-process through tesserocr, or the reason it cannot run here.

tesserocr was chosen over pytesseract by measurement on the corpus (bench/screenshots.py):
the same recognition in 0.15 s instead of 0.37 s per screenshot (median), because the
language models stay loaded in the worker instead of being read by a new `tesseract`
process for every image, and the image is handed over in memory instead of as a PNG
file. It also gives a real time limit: `Recognize(timeout=...)` stops Tesseract itself,
so a slow image frees its worker instead of running on after we stopped waiting.

Tesseract's API object is not thread-safe, so each worker thread gets its own.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from PIL import Image

if TYPE_CHECKING:
    from tesserocr import PSM, PyTessBaseAPI

__all__ = ["OcrEngine", "OcrUnavailable", "Recognised", "find_tessdata"]

# Debian's tesseract-ocr-eng/-hin put the models here (4.00 on older releases).
TESSDATA_DIRS = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
)
SINGLE_BLOCK = 6  # page segmentation mode: one block of text, line by line (measured best)


class OcrUnavailable(RuntimeError):
    """Tesseract cannot run here; the message says what to install."""


def find_tessdata(languages: str, explicit: str | None = None) -> str:
    """The folder holding every `<language>.traineddata` asked for, or OcrUnavailable."""
    wanted = languages.split("+")
    candidates = [explicit] if explicit else [os.environ.get("TESSDATA_PREFIX"), *TESSDATA_DIRS]
    for folder in candidates:
        if folder and all((Path(folder) / f"{lang}.traineddata").is_file() for lang in wanted):
            return folder
    raise OcrUnavailable(
        f"no Tesseract models for {languages}: install tesseract-ocr-eng and tesseract-ocr-hin"
    )


@dataclass(frozen=True, slots=True)
class Recognised:
    """The text Tesseract read, line by line; empty and `timed_out` when it was stopped."""

    text: str
    timed_out: bool = False


class OcrEngine:
    """Runs Tesseract on prepared images, from any number of worker threads."""

    def __init__(self, languages: str, tessdata: str | None = None) -> None:
        try:
            import tesserocr  # noqa: PLC0415 - optional: the bot runs without it
        except ImportError as error:  # pragma: no cover - depends on the machine
            raise OcrUnavailable(f"the tesserocr package cannot be loaded: {error}") from None
        self._tesserocr = tesserocr
        self.languages = languages
        self.tessdata = find_tessdata(languages, tessdata)
        self._local = threading.local()
        self._all: list[PyTessBaseAPI] = []
        self._lock = threading.Lock()
        self._api()  # load the models now: a broken install shows at start, not mid-chat

    def _api(self) -> PyTessBaseAPI:
        api: PyTessBaseAPI | None = getattr(self._local, "api", None)
        if api is None:
            try:
                api = self._tesserocr.PyTessBaseAPI(
                    path=self.tessdata + "/", lang=self.languages, psm=cast("PSM", SINGLE_BLOCK)
                )
            except RuntimeError as error:
                raise OcrUnavailable(f"Tesseract failed to start: {error}") from None
            self._local.api = api
            with self._lock:
                self._all.append(api)
        return api

    def recognise(self, image: Image.Image, timeout_seconds: float) -> Recognised:
        """The image's text; Tesseract is stopped after `timeout_seconds`."""
        api = self._api()
        api.SetImage(image)
        try:
            if not api.Recognize(timeout=max(1, int(timeout_seconds * 1000))):
                return Recognised("", timed_out=True)
            return Recognised(api.GetUTF8Text())
        finally:
            api.Clear()

    def close(self) -> None:
        with self._lock:
            for api in self._all:
                api.End()
            self._all.clear()
