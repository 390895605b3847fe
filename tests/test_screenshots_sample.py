"""A fixed sample of the synthetic corpus, read by the real OCR: no wrong value, ever.

Twenty images (fourteen screenshots, six photographed screens, every app, both themes and
languages) are generated from the benchmark's seed, so they are the first images of the
corpus bench/screenshots.py scores. Any field the reader returns that the image does not
show fails the test; so does accuracy on the amount and the UTR falling below a floor
well under the benchmark's figures (a reader that returns nothing would pass the first
check and fail this one). Speed is the benchmark's business, not this test's.

Tesseract and its English and Hindi models must be installed (.ci/run installs them);
elsewhere the test is skipped, except under CI, where their absence is a failure.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.service.screenshots import ScreenshotReader
from tests.screens.corpus import NOW, Sample, build_corpus
from tests.screens.score import Tally

SEED = 2026  # bench/screenshots.py's default
SCREENSHOTS, PHOTOS = 14, 6
FLOOR = {"screenshots": 0.85, "photos": 0.6}


@pytest.fixture(scope="module")
def reader() -> ScreenshotReader:
    reader = ScreenshotReader()
    if not reader.available:
        if os.environ.get("CI"):
            pytest.fail(f"CI must read screenshots: {reader.unavailable}")
        pytest.skip(f"Tesseract not installed: {reader.unavailable}")
    return reader


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> list[Sample]:
    return build_corpus(SEED, SCREENSHOTS, PHOTOS, tmp_path_factory.mktemp("screens"))


def read_all(reader: ScreenshotReader, samples: list[Sample]) -> Tally:
    tally = Tally()
    for item in samples:
        tally.add(item.path.name, reader.read_now(item.path, NOW), item.label)
    return tally


def test_the_sample_covers_every_app_theme_and_language(sample: list[Sample]) -> None:
    assert len(sample) == 20
    assert {item.app for item in sample} == {
        "gpay",
        "phonepe",
        "paytm",
        "bhim",
        "sbi",
        "hdfc",
        "icici",
        "axis",
    }
    assert {item.theme for item in sample} == {"light", "dark"}
    assert {item.language for item in sample} == {"en", "hi"}
    assert sum(item.photographed for item in sample) == PHOTOS
    assert all(Path(item.path).stat().st_size > 10_000 for item in sample)


def test_no_wrong_value_and_enough_read(reader: ScreenshotReader, sample: list[Sample]) -> None:
    screenshots = read_all(reader, [item for item in sample if not item.photographed])
    photos = read_all(reader, [item for item in sample if item.photographed])
    assert screenshots.wrong + photos.wrong == []
    for name, tally in (("screenshots", screenshots), ("photos", photos)):
        for field in ("amount", "reference"):
            assert tally.accuracy(field) >= FLOOR[name], (name, field, tally.misses)
