"""Draw a layout as a phone screenshot, then make it look sent or photographed.

Screens are laid out for a 1080-pixel-wide phone and scaled to the target width, with
Debian's Noto and DejaVu fonts (Devanagari runs in Noto Sans Devanagari, since Pillow has
no font fallback). Variants imitate what reaches the bot: JPEG recompression and
downscaling by messaging apps, a status bar, cropped edges, and a photo of another
phone's screen (perspective, rotation, blur, uneven light, sensor noise).
"""

from __future__ import annotations

import io
import random
import re
from functools import cache

from PIL import Image, ImageDraw, ImageFilter, ImageFont

from tests.screens.layouts import Element, Screen

FONT_DIR = "/usr/share/fonts/truetype"
FAMILIES = {
    "noto": ("noto/NotoSans-Regular.ttf", "noto/NotoSans-Bold.ttf"),
    "display": ("noto/NotoSansDisplay-Regular.ttf", "noto/NotoSansDisplay-Bold.ttf"),
    "dejavu": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
    "deva": ("noto/NotoSansDevanagari-Regular.ttf", "noto/NotoSansDevanagari-Bold.ttf"),
}
APP_FAMILY = {
    "gpay": "noto",
    "phonepe": "display",
    "paytm": "dejavu",
    "bhim": "noto",
    "sbi": "dejavu",
    "hdfc": "noto",
    "icici": "display",
    "axis": "dejavu",
}
THEMES = {
    "light": {
        "bg": (255, 255, 255),
        "text": (32, 33, 36),
        "muted": (95, 99, 104),
        "good": (30, 142, 62),
        "warn": (200, 100, 0),
        "bad": (200, 40, 30),
        "rule": (218, 220, 224),
    },
    "dark": {
        "bg": (24, 24, 26),
        "text": (232, 234, 237),
        "muted": (154, 160, 166),
        "good": (129, 201, 149),
        "warn": (253, 214, 99),
        "bad": (242, 139, 130),
        "rule": (60, 64, 67),
    },
}
_DEVANAGARI_RUN_RE = re.compile(r"([\u0900-\u097f]+(?:\s+[\u0900-\u097f]+)*)")
MARGIN = 60


@cache
def font(family: str, bold: bool, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(f"{FONT_DIR}/{FAMILIES[family][int(bold)]}", size)


class Painter:
    """Draws elements top to bottom on one screen, at `scale` times the 1080 layout."""

    def __init__(self, screen: Screen, theme: str, width: int, height: int) -> None:
        self.screen, self.colors = screen, THEMES[theme]
        self.family = APP_FAMILY[screen.app]
        self.scale = width / 1080
        self.image = Image.new("RGB", (width, height), self.colors["bg"])
        self.draw = ImageDraw.Draw(self.image)
        self.y = 0

    def px(self, value: float) -> int:
        return round(value * self.scale)

    def runs(self, text: str, size: int, bold: bool) -> list[tuple[str, ImageFont.FreeTypeFont]]:
        parts = [part for part in _DEVANAGARI_RUN_RE.split(text) if part]
        return [
            (
                part,
                font(
                    "deva" if _DEVANAGARI_RUN_RE.fullmatch(part) else self.family,
                    bold,
                    self.px(size),
                ),
            )
            for part in parts
        ]

    def width_of(self, text: str, size: int, bold: bool) -> float:
        return sum(face.getlength(part) for part, face in self.runs(text, size, bold))

    def text(self, x: float, text: str, size: int, bold: bool, fill: tuple[int, ...]) -> None:
        for part, face in self.runs(text, size, bold):
            self.draw.text((x, self.y), part, font=face, fill=fill)
            x += face.getlength(part)

    def line(self, element: Element) -> None:
        width = self.width_of(element.text, element.size, element.bold)
        x = {"left": self.px(MARGIN), "center": (self.image.width - width) / 2}.get(
            element.align, self.image.width - self.px(MARGIN) - width
        )
        self.text(x, element.text, element.size, element.bold, self.colors[element.role])
        self.y += self.px(element.size * 1.6)

    def pair(self, element: Element) -> None:
        label_width = self.width_of(element.text, 34, False)
        value_width = self.width_of(element.value, 38, element.bold)
        if label_width + value_width + self.px(80) > self.image.width - 2 * self.px(MARGIN):
            self.stack(element)
            return
        self.text(self.px(MARGIN), element.text, 34, False, self.colors["muted"])
        self.text(
            self.image.width - self.px(MARGIN) - value_width,
            element.value,
            38,
            element.bold,
            self.colors["text"],
        )
        self.y += self.px(80)

    def stack(self, element: Element) -> None:
        self.text(self.px(MARGIN), element.text, 32, False, self.colors["muted"])
        self.y += self.px(50)
        self.text(self.px(MARGIN), element.value, 40, element.bold, self.colors["text"])
        self.y += self.px(78)

    def bar(self, element: Element) -> None:
        self.draw.rectangle((0, 0, self.image.width, self.px(170)), fill=self.screen.brand_color)
        self.y = self.px(55)
        self.text(self.px(MARGIN), element.text, 46, True, (255, 255, 255))
        self.y = self.px(220)

    def icon(self, element: Element) -> None:
        role = {"success": "good", "pending": "warn", "failed": "bad"}[element.text]
        size, cx = self.px(150), self.image.width / 2
        box = (cx - size / 2, self.y, cx + size / 2, self.y + size)
        self.draw.ellipse(box, fill=self.colors[role])
        inner = self.colors["bg"]
        w = self.px(14)
        x0, y0 = box[0], box[1]
        if role == "good":
            points = [
                (x0 + size * 0.28, y0 + size * 0.52),
                (x0 + size * 0.44, y0 + size * 0.68),
                (x0 + size * 0.74, y0 + size * 0.36),
            ]
            self.draw.line(points, fill=inner, width=w)
        elif role == "bad":
            self.draw.line(
                (x0 + size * 0.32, y0 + size * 0.32, x0 + size * 0.68, y0 + size * 0.68),
                fill=inner,
                width=w,
            )
            self.draw.line(
                (x0 + size * 0.68, y0 + size * 0.32, x0 + size * 0.32, y0 + size * 0.68),
                fill=inner,
                width=w,
            )
        else:
            self.draw.line(
                (cx, y0 + size * 0.22, cx, y0 + size * 0.52, x0 + size * 0.72, y0 + size * 0.62),
                fill=inner,
                width=w,
            )
        self.y += size + self.px(40)

    def paint(self) -> Image.Image:
        for element in self.screen.elements:
            if element.kind == "space":
                self.y += self.px(element.size)
            elif element.kind == "rule":
                self.y += self.px(20)
                self.draw.line(
                    (self.px(MARGIN), self.y, self.image.width - self.px(MARGIN), self.y),
                    fill=self.colors["rule"],
                    width=max(1, self.px(2)),
                )
                self.y += self.px(40)
            else:
                getattr(self, {"text": "line"}.get(element.kind, element.kind))(element)
        return self.image


def status_bar(image: Image.Image, rng: random.Random, dark: bool) -> Image.Image:
    """The phone's own status bar: a clock that is not the payment's time, and icons."""
    scale = image.width / 1080
    height = round(70 * scale)
    out = Image.new(
        "RGB", (image.width, image.height + height), (0, 0, 0) if dark else (240, 240, 240)
    )
    out.paste(image, (0, height))
    draw = ImageDraw.Draw(out)
    fill = (255, 255, 255) if dark else (20, 20, 20)
    clock = f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d}"
    draw.text(
        (round(40 * scale), round(12 * scale)),
        clock,
        font=font("noto", True, round(38 * scale)),
        fill=fill,
    )
    draw.text(
        (image.width - round(330 * scale), round(12 * scale)),
        f"4G  {rng.randint(20, 99)}%",
        font=font("noto", False, round(36 * scale)),
        fill=fill,
    )
    return out


def crop_edges(image: Image.Image, rng: random.Random) -> Image.Image:
    """Trim what a careless crop removes: a little of each side, never the content."""
    w, h = image.size
    scale = w / 1080
    box = (
        rng.randint(0, round(35 * scale)),
        rng.randint(0, round(40 * scale)),
        w - rng.randint(0, round(35 * scale)),
        h - rng.randint(0, h // 20),
    )
    return image.crop(box)


def recompress(image: Image.Image, rng: random.Random, longest: int = 1600) -> Image.Image:
    """What WhatsApp or Telegram do to a photo: downscale to ~1600 px, JPEG quality 55-85."""
    if max(image.size) > longest:
        factor = longest / max(image.size)
        image = image.resize(
            (round(image.width * factor), round(image.height * factor)), Image.Resampling.LANCZOS
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=rng.randint(55, 85))
    buffer.seek(0)
    return Image.open(buffer).convert("RGB")


def light_blur(image: Image.Image, rng: random.Random) -> Image.Image:
    return image.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.0) * image.width / 1080))
