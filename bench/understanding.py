"""Score the readers of free text and of bank SMS against the labelled corpora.

    python bench/understanding.py [--show-failures]

Corpora: tests/data/sms/*.toml (bank SMS and UPI app notifications, each labelled with
the fields it says) and tests/data/answers/*.toml (answers typed by victims, labelled
with what each reader must return: a value, "unsure" when it must ask to confirm, or
"refused"/none). Prints accuracy per SMS field and per kind of answer, with misses (the
label has a value, the reader returned nothing or asked) apart from wrong values (the
reader returned a value that differs from the label, or was sure where it must ask).
Exits 1 when anything is wrong or missed. tests/test_understanding_corpora.py runs
the same scoring.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.domain.banks import match_bank  # noqa: E402
from bot.domain.clock import IST  # noqa: E402
from bot.domain.errors import ValidationError  # noqa: E402
from bot.domain.parsing.amount_reading import read_amount  # noqa: E402
from bot.domain.parsing.categories import read_category  # noqa: E402
from bot.domain.parsing.finding import find_identifiers  # noqa: E402
from bot.domain.parsing.modes import PaymentMode  # noqa: E402
from bot.domain.parsing.replies import read_reply  # noqa: E402
from bot.domain.parsing.sms import read_payment_texts  # noqa: E402
from bot.domain.parsing.transaction_ids import read_transaction_id  # noqa: E402
from bot.domain.parsing.when import read_when  # noqa: E402
from bot.domain.payments import PaymentText, Reading  # noqa: E402
from bot.domain.places import CHHATTISGARH_DISTRICTS, read_place  # noqa: E402

DATA = ROOT / "tests" / "data"
# The corpora are written as if read on this day (dates without a year, "kal", "future").
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=IST)
SMS_FIELDS = ("kind", "status", "amount", "mode", "reference", "date", "time", "bank", "app",
              "account", "receiver_upi", "receiver_account", "receiver_ifsc",
              "receiver_name")  # fmt: skip
NONE = "none"  # a label meaning: the reader must return nothing (or refuse)


@dataclass
class Score:
    """Outcomes of one field or kind."""

    total: int = 0
    correct: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def add(self, outcome: str, case: str) -> None:
        self.total += 1
        if outcome == "correct":
            self.correct += 1
        elif outcome == "miss":
            self.missed.append(case)
        else:
            self.wrong.append(case)

    @property
    def accuracy(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 100.0


def _load(folder: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted((DATA / folder).glob("*.toml")):
        with path.open("rb") as handle:
            yield path.stem, tomllib.load(handle)


# --- SMS ------------------------------------------------------------------------------


def _sms_values(item: PaymentText) -> dict[str, str | None]:
    moment = item.occurred_at
    has_time = moment is not None and moment.precision.value == "minute"
    return {
        "kind": item.kind.value,
        "status": item.status.value,
        "amount": None if item.amount is None else f"{item.amount:.2f}",
        "mode": None if item.mode is None else item.mode.value,
        "reference": item.reference,
        "date": None if moment is None else moment.at.date().isoformat(),
        "time": moment.at.strftime("%H:%M") if moment is not None and has_time else None,
        "bank": item.bank,
        "app": item.app,
        "account": item.account_last_digits,
        "receiver_upi": item.receiver_upi,
        "receiver_account": item.receiver_account,
        "receiver_ifsc": item.receiver_ifsc,
        "receiver_name": item.receiver_name,
    }


def _compare(label: str | None, value: str | None) -> str:
    if label == value:
        return "correct"
    return "miss" if value is None else "wrong"


def score_sms() -> tuple[dict[str, Score], int]:
    """Per-field scores over every labelled message, and the number of messages."""
    scores = {name: Score() for name in (*SMS_FIELDS, "messages per paste")}
    count = 0
    for stem, corpus in _load("sms"):
        for index, message in enumerate(corpus.get("sms", [])):
            count += 1
            case = f"{stem}[{index}] {message['text'][:50]!r}"
            read = read_payment_texts(message["text"], NOW)
            values = _sms_values(read[0]) if len(read) == 1 else {name: None for name in SMS_FIELDS}
            scores["messages per paste"].add(_compare("1", str(len(read))), case)
            defaults = {"status": "success"} if message.get("kind") in ("debit", "credit") else {}
            for name in SMS_FIELDS:
                if name == "status" and "status" not in defaults:
                    continue  # an OTP or an offer has no payment status
                label = message.get(name, defaults.get(name))
                if label is not None or values[name] is not None:
                    scores[name].add(_compare(label, values[name]), f"{case} {name}={values[name]}")
        for index, paste in enumerate(corpus.get("paste", [])):
            count += 1
            read = read_payment_texts(paste["text"], NOW)
            found = [str(item.reference) for item in read]
            case = f"{stem} paste[{index}] {found}"
            scores["messages per paste"].add(_compare(str(paste["references"]), str(found)), case)
    return scores, count


# --- answers --------------------------------------------------------------------------


def _outcome(expected: Any, sure: bool, actual: Any, actual_sure: bool) -> str:
    """correct / miss / wrong for one answer: a different value, or sure where the label
    says the reader must ask, is wrong; nothing, or asking where it may be sure, a miss."""
    if expected == NONE:
        return "correct" if actual is None else "wrong"
    if actual is None:
        return "miss"
    if actual != expected:
        return "wrong"
    if actual_sure and not sure:
        return "wrong"
    return "correct" if actual_sure == sure else "miss"


def _reading_or_none(call: Callable[[], Reading[Any] | None]) -> tuple[Any, bool]:
    try:
        reading = call()
    except ValidationError:
        return None, False
    return (None, False) if reading is None else (reading.value, reading.sure)


def _amount(case: dict[str, Any]) -> tuple[Any, bool]:
    value, sure = _reading_or_none(lambda: read_amount(case["text"]))
    return (None if value is None else format(Decimal(value).normalize(), "f")), sure


def _when(case: dict[str, Any]) -> tuple[Any, bool]:
    value, sure = _reading_or_none(lambda: read_when(case["text"], NOW))
    if value is None:
        return None, False
    return f"{value.at:%Y-%m-%dT%H:%M} {value.precision.value}", sure


def _reply(case: dict[str, Any]) -> tuple[Any, bool]:
    reply = read_reply(case["text"])
    return (None if reply is None else reply.value), True


def _bank(case: dict[str, Any]) -> tuple[Any, bool]:
    reading = match_bank(case["text"])
    return (None, False) if reading is None else (reading.value.name, reading.sure)


def _district(case: dict[str, Any]) -> tuple[Any, bool]:
    reading = read_place(case["text"], CHHATTISGARH_DISTRICTS)
    return (None, False) if reading is None else (reading.value.en, reading.sure)


def _category(case: dict[str, Any]) -> tuple[Any, bool]:
    return _reading_or_none(lambda: read_category(case["text"]))


def _identifiers(case: dict[str, Any]) -> tuple[Any, bool]:
    found = [
        ":".join(part for part in (item.kind.value, item.value, item.ifsc) if part)
        for item in find_identifiers(case["text"])
    ]
    return (found or None), True


def _transaction_id(case: dict[str, Any]) -> tuple[Any, bool]:
    mode = PaymentMode(case["mode"])
    return _reading_or_none(lambda: read_transaction_id(case["text"], mode))


READERS: dict[str, Callable[[dict[str, Any]], tuple[Any, bool]]] = {
    "amounts": _amount,
    "times": _when,
    "replies": _reply,
    "banks": _bank,
    "districts": _district,
    "categories": _category,
    "identifiers": _identifiers,
    "transaction_ids": _transaction_id,
}


def score_answers() -> dict[str, Score]:
    scores: dict[str, Score] = {}
    for stem, corpus in _load("answers"):
        read = READERS[stem]
        score = scores.setdefault(stem, Score())
        for case in corpus["case"]:
            expected = case["expect"]
            actual, actual_sure = read(case)
            outcome = _outcome(expected, case.get("sure", True), actual, actual_sure)
            sureness = "" if actual_sure else " (unsure)"
            score.add(outcome, f"{case['text']!r}: expected {expected}, read {actual}{sureness}")
    return scores


def _table(title: str, scores: dict[str, Score], show: bool) -> None:
    print(f"\n{title}")
    print(f"  {'':<20}{'cases':>7}{'accuracy':>10}{'missed':>8}{'wrong':>7}")
    for name, score in scores.items():
        print(f"  {name:<20}{score.total:>7}{score.accuracy:>9.1f}%"
              f"{len(score.missed):>8}{len(score.wrong):>7}")  # fmt: skip
        if show:
            for case in score.wrong:
                print(f"      WRONG  {case}")
            for case in score.missed:
                print(f"      MISSED {case}")


def main() -> int:
    show = "--show-failures" in sys.argv
    sms, messages = score_sms()
    answers = score_answers()
    _table(f"Bank SMS and app notifications ({messages} labelled texts), per field", sms, show)
    _table(f"Typed answers ({sum(s.total for s in answers.values())}), per kind", answers, show)
    every = [*sms.values(), *answers.values()]
    wrong = sum(len(score.wrong) for score in every)
    missed = sum(len(score.missed) for score in every)
    print(f"\nwrong values: {wrong}   missed: {missed}")
    return 1 if wrong or missed else 0


if __name__ == "__main__":
    sys.exit(main())
