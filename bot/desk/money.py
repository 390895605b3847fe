"""The money side of a debit as an operator records it, and what the victim is told.

Validation: amounts in Indian grouping or plain digits, held + refunded never more than
the debit, dates not in the future. The victim hears when something new is held (how
much, at which bank) and when something new is refunded, as a status change whose note
says it in their language.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from bot.desk.common import form_text
from bot.domain.errors import BotError
from bot.domain.i18n import translator
from bot.domain.rupees import NotAnAmount, parse_rupees
from bot.domain.statuses import ComplaintStatus
from storage.base import ComplaintRecord
from storage.desk_base import DebitMoney


class MoneyRefused(BotError):
    """The form cannot be recorded; `code` names the message the operator sees."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _amount(form: Any, name: str) -> Decimal:
    text = form_text(form, name, 40)
    if not text:
        return Decimal(0)
    try:
        return parse_rupees(text)
    except NotAnAmount:
        raise MoneyRefused("bad_amount") from None


def _date(form: Any, name: str, today: date) -> date | None:
    text = form_text(form, name, 20)
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise MoneyRefused("bad_date") from None
    if day > today:
        raise MoneyRefused("bad_date")
    return day


def read_money(form: Any, position: int, debit: Decimal, today: date) -> DebitMoney:
    held, refunded = _amount(form, "held_amount"), _amount(form, "refunded_amount")
    if held + refunded > debit:
        raise MoneyRefused("too_much")
    held_on, refunded_on = _date(form, "held_on", today), _date(form, "refunded_on", today)
    return DebitMoney(
        position=position,
        held_amount=held,
        held_bank=form_text(form, "held_bank", 100),
        held_on=held_on or (today if held else None),
        refunded_amount=refunded,
        refunded_on=refunded_on or (today if refunded else None),
    )


def money_notice(
    record: ComplaintRecord,
    before: DebitMoney,
    after: DebitMoney,
    all_money: dict[int, DebitMoney],
) -> tuple[str, str] | None:
    """(status, note) to tell the victim, or None when nothing new was held or refunded."""
    t = translator(record.get("language") or "hi")
    parts: list[str] = []
    status = ComplaintStatus.FUNDS_ON_HOLD
    if after.held_amount > before.held_amount:
        bank = after.held_bank or t("desk.notice.a_bank")
        parts.append(t("desk.notice.held", amount=t.money(after.held_amount), bank=bank))
    if after.refunded_amount > before.refunded_amount:
        parts.append(t("desk.notice.refunded", amount=t.money(after.refunded_amount)))
        lost = Decimal(record.get("total_amount") or "0")
        back = sum((m.refunded_amount for m in all_money.values()), Decimal(0))
        status = ComplaintStatus.RESOLVED if back >= lost else ComplaintStatus.REFUND_IN_PROGRESS
    if not parts:
        return None
    return status.value, " ".join(parts)
