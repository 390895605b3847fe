"""Translations and Indian formats, loaded from the gettext catalogs in `locales/`.

The `.po` files are the single source: they are compiled in memory at first use, so there
is no build step and no stale `.mo` file can ever be served. Message ids are symbolic
(`prompt.amount`), and both English and Hindi catalogs must translate every one of them
(a test enforces that), so wording can change without touching code.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from babel.support import Translations

from bot.domain.clock import IST
from bot.domain.messages import Language
from bot.domain.payments import Precision

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
DOMAIN = "messages"
# The conversation's texts, and the awareness library (kept apart so the police can
# revise warnings about current scams without touching the conversation's catalog).
DOMAINS = ("messages", "awareness")
_BABEL_LOCALE = {Language.EN: "en_IN", Language.HI: "hi_IN"}


@cache
def _translations(language: Language) -> Translations:
    merged: Translations | None = None
    for domain in DOMAINS:
        po_path = LOCALES_DIR / language.value / "LC_MESSAGES" / f"{domain}.po"
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=language.value)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        loaded = Translations(buffer, domain=DOMAIN)
        merged = loaded if merged is None else merged.merge(loaded)
    assert merged is not None
    return merged


@dataclass(frozen=True, slots=True)
class Translator:
    """Everything the core needs to speak one language."""

    language: Language

    def __call__(self, msgid: str, **params: object) -> str:
        text = _translations(self.language).gettext(msgid)
        return text.format(**params) if params else text

    def plural(self, msgid: str, msgid_plural: str, count: int, **params: object) -> str:
        text = _translations(self.language).ngettext(msgid, msgid_plural, count)
        return text.format(count=count, **params)

    def money(self, amount: Decimal) -> str:
        """₹26,04,000 for whole rupees, ₹26,04,000.50 otherwise (Indian grouping)."""
        locale = _BABEL_LOCALE[self.language]
        if amount == amount.to_integral_value():
            return format_currency(
                amount, "INR", locale=locale, format="¤#,##,##0", currency_digits=False
            )
        return format_currency(amount, "INR", locale=locale)

    def when(self, moment: datetime) -> str:
        """ "1 Dec 2026, 11:23 pm" in English; "1 दिसंबर 2026, रात 11:23" in Hindi, with the
        part of the day people say instead of am/pm (and no abbreviation marks)."""
        local = moment.astimezone(IST)
        clock = f"{local.hour % 12 or 12}:{local.minute:02d}"
        if self.language is Language.HI:
            return f"{self.date(local)}, {part_of_day_hi(local.hour)} {clock}"
        return f"{self.date(local)}, {clock} {'am' if local.hour < 12 else 'pm'}"

    def moment(self, at: datetime, precision: Precision | None) -> str:
        """`at` no more exactly than it is known: "1 Dec 2026, 3:07 pm" (a minute, or a
        moment stored before precision was kept), "1 Dec 2026, 3 pm", "1 Dec 2026,
        evening", "1 Dec 2026", "about 1 Dec 2026, 1 pm", "about 29 Nov 2026"; in Hindi
        "1 दिसंबर 2026, दोपहर 3 बजे", "1 दिसंबर 2026, शाम", "लगभग 29 नवंबर 2026"."""
        local = at.astimezone(IST)
        match precision:
            case None | Precision.MINUTE:
                return self.when(local)
            case Precision.DAY:
                return self.date(local)
            case Precision.PART_OF_DAY:
                return f"{self.date(local)}, {self._part_of_day(local.hour)}"
            case Precision.HOUR:
                return f"{self.date(local)}, {self._hour(local.hour)}"
            case Precision.ABOUT:
                midnight = (local.hour, local.minute) == (0, 0)
                shown = (
                    self.date(local)
                    if midnight
                    else f"{self.date(local)}, {self._hour(local.hour)}"
                )
                return self("when.about", when=shown)

    def _hour(self, hour: int) -> str:
        if self.language is Language.HI:
            return f"{part_of_day_hi(hour)} {hour % 12 or 12} बजे"
        return f"{hour % 12 or 12} {'am' if hour < 12 else 'pm'}"

    def _part_of_day(self, hour: int) -> str:
        if 4 <= hour < 12:
            return self("when.morning")
        if 12 <= hour < 16:
            return self("when.afternoon")
        return self("when.evening") if 16 <= hour < 20 else self("when.night")

    def date(self, moment: datetime) -> str:
        """ "1 Dec 2026" in English, "1 दिसंबर 2026" in Hindi (the month written out)."""
        pattern = "d MMMM y" if self.language is Language.HI else "d MMM y"
        return format_datetime(moment, pattern, locale=_BABEL_LOCALE[self.language], tzinfo=IST)


def part_of_day_hi(hour: int) -> str:
    """सुबह (4-11), दोपहर (12-15), शाम (16-19), रात (20-3): how Hindi speakers tell the time."""
    if 4 <= hour < 12:
        return "सुबह"
    if 12 <= hour < 16:
        return "दोपहर"
    if 16 <= hour < 20:
        return "शाम"
    return "रात"


def translator(language: Language | str) -> Translator:
    return Translator(Language(language))
