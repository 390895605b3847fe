"""The labelled corpus: which screens, in which variants, written where.

Image `i` of a kind depends only on the seed and `i`, so the CI sample (the first few)
is a subset of the benchmark's corpus and a failure can be regenerated alone. Apps vary
fastest, and language, theme and screen kind cycle with a stride coprime to 8, so every
run of eight covers every app and every 64 every combination.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import product
from pathlib import Path

from PIL import Image

from bot.domain.clock import IST
from bot.domain.parsing.identifiers import PaymentMode
from bot.domain.payments import MessageKind, Moment, PaymentText, Precision
from tests.screens.fakes import Payment, invent_payment
from tests.screens.layouts import APP_NAMES, APPS, BANK_APPS, Screen, build_screen
from tests.screens.photo import photograph
from tests.screens.render import Painter, crop_edges, light_blur, recompress, status_bar

NOW = datetime(2026, 11, 28, 18, 30, tzinfo=IST)
SIZES = ((1080, 2400), (720, 1600), (1080, 2340), (1440, 3200), (1170, 2532))
VARIANTS = ("clean", "jpeg", "status_bar", "cropped", "blur")
COMBOS = tuple(product(("en", "hi"), ("light", "dark"), (False, True)))


@dataclass(frozen=True)
class Sample:
    """One image and what it shows: `label` holds exactly the fields a person can read."""

    path: Path
    label: PaymentText
    photographed: bool
    app: str
    language: str
    theme: str
    detailed: bool
    variant: str


def label_of(screen: Screen, payment: Payment) -> PaymentText:
    """What a person can read on the screen: fields it does not show are None."""
    full = PaymentText(
        kind=MessageKind.DEBIT,
        status=payment.status,
        amount=payment.amount,
        mode=PaymentMode.UPI,
        reference=payment.reference,
        occurred_at=Moment(screen.at, Precision.MINUTE),
        bank=BANK_APPS.get(screen.app, payment.payer_bank),
        app=APP_NAMES.get(screen.app),
        receiver_upi=payment.receiver_upi,
        receiver_name=payment.receiver_name,
    )
    hidden = {"amount", "reference", "bank", "app", "receiver_upi"} - screen.shows
    return replace(full, **dict.fromkeys(hidden))


def _screenshot(rng: random.Random, screen: Screen, theme: str) -> tuple[Image.Image, str]:
    width, height = rng.choice(SIZES)
    image = Painter(screen, theme, width, height).paint()
    variant = rng.choice(VARIANTS)
    if variant == "status_bar":
        image = recompress(status_bar(image, rng, theme == "dark"), rng)
    elif variant == "cropped":
        image = crop_edges(image, rng)
    elif variant == "blur":
        image = recompress(light_blur(image, rng), rng)
    elif variant == "jpeg":
        image = recompress(image, rng)
    return image, variant


def make_sample(seed: int, index: int, photographed: bool, folder: Path) -> Sample:
    """Render image `index` of its kind into `folder` and return it with its label."""
    kind = "photo" if photographed else "screen"
    rng = random.Random(f"{seed}-{kind}-{index}")
    app = APPS[index % len(APPS)]
    language, theme, detailed = COMBOS[(index + 3 * (index // len(APPS))) % len(COMBOS)]
    payment = invent_payment(rng, NOW)
    screen = build_screen(rng, payment, app, language, detailed)
    image, variant = _screenshot(rng, screen, theme)
    if photographed:
        if variant == "status_bar" or rng.random() < 0.5:
            image = status_bar(image, rng, theme == "dark")
        image, variant = photograph(image, rng), "photo"
    suffix = "png" if variant in ("clean", "cropped") else "jpg"
    path = folder / f"{kind}-{index:03d}-{app}-{language}-{theme}.{suffix}"
    image.save(path)
    return Sample(
        path, label_of(screen, payment), photographed, app, language, theme, detailed, variant
    )


def build_corpus(seed: int, screenshots: int, photos: int, folder: Path) -> list[Sample]:
    folder.mkdir(parents=True, exist_ok=True)
    return [make_sample(seed, i, False, folder) for i in range(screenshots)] + [
        make_sample(seed, i, True, folder) for i in range(photos)
    ]


__all__ = ["NOW", "Sample", "build_corpus", "label_of", "make_sample"]
