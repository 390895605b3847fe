"""Prepare a payment screenshot or photo for Tesseract (Pillow only, no OCR here).

Chosen by measurement on the synthetic corpus (bench/screenshots.py, docs in the README):
- grayscale, and the whole image inverted when it is mostly dark (dark themes), since
  Tesseract reads dark text on a light page best;
- no thresholding of our own: Tesseract's Otsu on the plain grayscale image read more
  fields than a global threshold, a per-row background or a local-background
  normalisation, which broke thin strokes and invented digits;
- scaled to 1080 pixels wide (phone screens are 720-1440 wide): beyond that the text is
  larger than Tesseract needs and time grows with the area; below it small print loses
  its dots (a 720-wide dark screenshot gave "starpay@oksbi" for "star.pay@oksbi", the
  same image at 1080 the right id; accuracy otherwise equal, 0.03 s more per image);
- the app's coloured title bar (white text on a brand colour) is found as a run of dark
  rows at the top and read on its own, inverted: inside the page Tesseract drops it.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageOps

__all__ = [
    "MAX_PIXELS",
    "ImageTooLarge",
    "deskew",
    "load_image",
    "looks_photographed",
    "prepare",
    "title_bar",
]

# Phone cameras give 12-50 megapixels and messaging apps send far less; refusing more
# than 80 stays under Pillow's decompression-bomb warning (89 megapixels).
MAX_PIXELS = 80_000_000
WIDTH = 1080
_DARK = 128
_BAR_MIN_ROWS = 0.04  # of the width: a title bar is at least ~45 px high on a 1080 screen
_BAR_SEARCH = 0.35  # of the height: title bars sit at the top
_FLAT_SHARE = 0.4  # screenshots: 80-91% of pixels share one grey; photos: 4-11%
_SKEW_WIDTH = 400  # the angle is estimated on a copy this wide
_SKEW_STEPS = [tenths / 10 for tenths in range(-80, 81, 5)]  # -8 to 8 degrees
_SKEW_MIN = 1.0  # smaller tilts Tesseract takes in its stride; screenshots measure 0


class ImageTooLarge(ValueError):
    """The file claims more pixels than any phone produces (or a decompression bomb)."""


def load_image(source: Path | bytes) -> Image.Image:
    """Open a file or bytes as grayscale, upright (EXIF orientation applied), decoding
    large JPEGs at a reduced size straight away."""
    image = Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
    if image.width * image.height > MAX_PIXELS:
        raise ImageTooLarge(f"{image.width}x{image.height}")
    if image.format == "JPEG":
        image.draft("L", (WIDTH, WIDTH * 4))
    upright = ImageOps.exif_transpose(image)
    return upright.convert("L")


def _mean(image: Image.Image) -> float:
    tiny = image.resize((32, 32), Image.Resampling.BOX)
    return sum(tiny.tobytes()) / 1024


def prepare(image: Image.Image) -> Image.Image:
    """Grayscale, WIDTH wide, dark text on a light background."""
    if image.mode != "L":
        image = image.convert("L")
    if image.width != WIDTH:
        height = round(image.height * WIDTH / image.width)
        image = image.resize((WIDTH, height), Image.Resampling.LANCZOS)
    return ImageOps.invert(image) if _mean(_middle(image)) < _DARK else image


def _middle(image: Image.Image) -> Image.Image:
    """The middle half of the image: the screen itself, even in a photo taken on a
    bright desk (whose mean would call a dark-theme screen light)."""
    w, h = image.size
    return image.crop((w // 4, h // 4, w - w // 4, h - h // 4))


def looks_photographed(image: Image.Image) -> bool:
    """A screenshot is mostly one flat background colour, even after JPEG; a photo of a
    screen has light falloff and sensor noise, so no grey dominates."""
    histogram = image.histogram()
    return max(histogram) < _FLAT_SHARE * sum(histogram)


def _row_means(image: Image.Image) -> list[int]:
    return list(image.resize((1, image.height), Image.Resampling.BOX).tobytes())


def title_bar(image: Image.Image) -> Image.Image | None:
    """The coloured bar at the top of an app screen, inverted to dark on light, or None.

    Found as the first run of rows, near the top, whose brightness differs from the
    page's by more than a third of the scale: the brand colour behind white text.
    """
    rows = _row_means(image)
    if not rows:
        return None
    page = sorted(rows)[len(rows) // 2]
    limit = int(len(rows) * _BAR_SEARCH)
    start = next((y for y in range(limit) if abs(rows[y] - page) > 85), None)
    if start is None:
        return None
    end = start
    while end < limit and abs(rows[end] - page) > 85:
        end += 1
    if end - start < image.width * _BAR_MIN_ROWS:
        return None
    bar = image.crop((0, start, image.width, end))
    bar = ImageOps.invert(bar) if _mean(bar) < _DARK else bar
    return ImageOps.autocontrast(bar, cutoff=1)


def _sharpness(rows: bytes) -> int:
    """How sharply the row profile alternates between text and gaps: highest when the
    lines of text lie horizontal."""
    return sum((rows[i + 1] - rows[i]) ** 2 for i in range(len(rows) - 1))


def skew_angle(image: Image.Image) -> float:
    """The rotation (degrees) that makes the lines of a photographed screen level."""
    small = image.resize((_SKEW_WIDTH, max(1, round(image.height * _SKEW_WIDTH / image.width))))
    ink = small.point(lambda value: 255 if value < _DARK else 0)
    best_angle, best_score = 0.0, -1
    for angle in _SKEW_STEPS:
        turned = ink.rotate(angle, Image.Resampling.NEAREST)
        score = _sharpness(turned.resize((1, turned.height), Image.Resampling.BOX).tobytes())
        if score > best_score:
            best_angle, best_score = angle, score
    return best_angle


def deskew(image: Image.Image) -> Image.Image:
    """A photo of a screen is rarely level; Tesseract reads level lines far better (on the
    photographed corpus: UTR 76% to 86%, date 83% to 100%)."""
    angle = skew_angle(image)
    if abs(angle) < _SKEW_MIN:
        return image
    return image.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=255)
