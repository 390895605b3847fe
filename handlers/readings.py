"""Values read from what people type, and the one-tap confirmation of an unsure reading.

The rule for every answer (docs/ARCHITECTURE.md, "Never a guess"): a value is stored only
when it was read surely; a plausible reading (a dot that may separate thousands, a bank
matched loosely, a number shaped like a phone where a card's id is expected, more than
₹10 lakh) is shown back as it was read and stored only after the person taps "yes"; else
the step asks again with an example.

An acceptor calls `sure(payload, KIND, read)`: the surely read value, or `UnsureReading`,
which the engine turns into the confirmation card (`confirmation_prompt`). The tap comes
back as a `Confirmed` payload carrying the encoded value, and the same acceptor stores it.
Each kind says how its value is written into the state (`encode`/`decode`) and how it is
shown to the person (`show`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TypeVar, cast

from bot.domain.conversation import Conversation
from bot.domain.errors import UnsureReading, ValidationError
from bot.domain.i18n import Translator
from bot.domain.messages import Choice, ChoicePrompt, Confirmed, Payload, Text
from bot.domain.payments import Moment, Precision, Reading
from bot.domain.places import CHHATTISGARH_DISTRICTS, STATES, Place, place_by_id
from bot.domain.reference import format_reference

T = TypeVar("T")

AMOUNT, MOMENT, TRANSACTION_ID, BANK, CATEGORY = (
    "amount",
    "moment",
    "transaction_id",
    "bank",
    "category",
)
DISTRICT, STATE = "district", "state"
YES, NO = "unsure:yes", "unsure:no"


def sure(payload: Payload, kind: str, read: Callable[[str], Reading[T]]) -> T:
    """The value `payload` gives: confirmed by a tap, or read surely from its text.
    Raises `UnsureReading` for a plausible reading, `ValidationError` for none."""
    if isinstance(payload, Confirmed):
        return cast(T, _DECODE[kind](payload.value))
    if not isinstance(payload, Text):
        raise ValidationError("error.type_it")
    reading = read(payload.text.strip())
    if not reading.sure:
        raise UnsureReading(kind, _ENCODE[kind](reading.value), reading.why)
    return reading.value


def encode_moment(moment: Moment) -> str:
    return f"{moment.at.isoformat()}|{moment.precision.value}"


def decode_moment(value: str) -> Moment:
    at, precision = value.split("|")
    return Moment(datetime.fromisoformat(at), Precision(precision))


def _place_id(place: object) -> str:
    assert isinstance(place, Place)
    return place.id


def _place(place_id: str) -> Place:
    place = place_by_id(place_id, CHHATTISGARH_DISTRICTS) or place_by_id(place_id, STATES)
    if place is None:
        raise ValidationError("error.pick_button")
    return place


_ENCODE: dict[str, Callable[[object], str]] = {
    AMOUNT: str,
    MOMENT: lambda moment: encode_moment(cast(Moment, moment)),
    TRANSACTION_ID: str,
    BANK: str,  # the name the complaint stores
    CATEGORY: str,
    DISTRICT: _place_id,
    STATE: _place_id,
}
_DECODE: dict[str, Callable[[str], object]] = {
    AMOUNT: Decimal,
    MOMENT: decode_moment,
    TRANSACTION_ID: str,
    BANK: str,
    CATEGORY: str,
    DISTRICT: _place,
    STATE: _place,
}


def show(kind: str, value: str, t: Translator) -> str:
    """How a reading is shown back: "₹75,000", "1 दिसंबर 2026, शाम", "6318 4500 2917"."""
    match kind:
        case "amount":
            return t.money(Decimal(value))
        case "moment":
            moment = decode_moment(value)
            return t.moment(moment.at, moment.precision)
        case "transaction_id":
            return format_reference(value) if value.isdigit() else value
        case "bank":
            return value
        case "category":
            return t(f"category.{value}")
        case _:
            return _place(value).name(t.language.value)


def confirmation_prompt(state: Conversation, t: Translator) -> ChoicePrompt:
    """ "I read ₹75,000 — is that right?" with the reason for asking and two buttons."""
    unsure = state.unsure
    assert unsure is not None
    lines = [t(unsure.why)] if unsure.why else []
    lines.append(t("confirm.reading", value=show(unsure.kind, unsure.value, t)))
    buttons = (Choice(YES, t("choice.reading_yes")), Choice(NO, t("choice.reading_no")))
    return ChoicePrompt("\n".join(lines), buttons)
