"""Compare what the reader returned with an image's label, field by field.

A field is *right* when it equals the label, *missed* when the reader left it out (or
gave only the day of a moment the screen shows to the minute), and *wrong* when it
returned a value the screen does not show: the one outcome the project forbids.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from bot.domain.payments import Moment, PaymentText, Precision

FIELDS = (
    "amount",
    "reference",
    "occurred_at",
    "bank",
    "app",
    "receiver_upi",
    "receiver_name",
    "status",
)


def _same(name: str, got: object, want: object) -> bool:
    if name == "receiver_name" and isinstance(got, str) and isinstance(want, str):
        return " ".join(got.casefold().split()) == " ".join(want.casefold().split())
    return got == want


def judge(name: str, got: object, want: object) -> str:
    """One of right, missed, wrong, absent (neither shows it)."""
    if got is None:
        return "absent" if want is None else "missed"
    if want is not None and _same(name, got, want):
        return "right"
    if (
        isinstance(got, Moment)
        and isinstance(want, Moment)
        and got.precision is Precision.DAY
        and got.at.date() == want.at.date()
    ):
        return "missed"  # the day only, of a moment the screen shows to the minute
    return "wrong"


@dataclass
class Tally:
    """Per-field counts over a set of images, and the wrong values themselves."""

    counts: Counter[tuple[str, str]] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, name: str, readings: list[PaymentText] | None, label: PaymentText) -> None:
        got = readings[0] if readings else None
        for key in FIELDS:
            verdict = judge(key, getattr(got, key) if got else None, getattr(label, key))
            self.counts[(key, verdict)] += 1
            if verdict == "missed":
                self.misses.append(f"{name}: {key} (shows {getattr(label, key)!r})")
            if verdict == "wrong":
                self.wrong.append(
                    f"{name}: {key} read {getattr(got, key)!r}, shows {getattr(label, key)!r}"
                )

    def accuracy(self, key: str) -> float:
        shown = (
            self.counts[(key, "right")] + self.counts[(key, "missed")] + self.counts[(key, "wrong")]
        )
        return self.counts[(key, "right")] / shown if shown else 1.0

    def shown(self, key: str) -> int:
        return sum(self.counts[(key, verdict)] for verdict in ("right", "missed", "wrong"))
