"""The payment card: debits read from a pasted bank SMS, an app notification or a payment
screenshot, shown back in one message and added to the complaint with one tap.

A bank SMS is the most exact thing a victim can give us (amount, UTR, time, bank), and
pasting it is easier than typing a 12-digit number. Nothing on the card is stored until
the person taps "yes": the card shows every value as it was read, and what the message
did not say ("bank: not in the message") is asked afterwards by the usual questions.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.domain.complaint import DebitSource, Transaction
from bot.domain.conversation import Conversation
from bot.domain.errors import ValidationError
from bot.domain.i18n import Translator
from bot.domain.messages import Payload
from bot.domain.parsing.modes import PaymentMode
from bot.domain.payments import MessageKind, PaymentStatus, PaymentText
from bot.domain.reference import format_reference
from handlers.answers import CATEGORY_MODES, choice_of, set_lost_at
from handlers.spec import Context

SOURCES = {source.value: source for source in DebitSource}


def card_worthy(payment: PaymentText) -> bool:
    """A debit the card can offer: an amount, and something that makes it this payment
    and not a sentence that mentions money ("5000 debited" typed as an answer is read by
    the step, not taken for an SMS)."""
    return (
        payment.kind is MessageKind.DEBIT
        and payment.amount is not None
        and (payment.reference is not None or payment.account_last_digits is not None)
    )


def card_prompt(state: Conversation) -> str:
    kind = "screenshot_card" if state.card_source == "screenshot" else "payment_card"
    return f"prompt.{kind}" if len(state.read_payments) == 1 else f"prompt.{kind}s"


def card_params(state: Conversation, t: Translator) -> Mapping[str, object]:
    lines = [_describe(number, payment, t) for number, payment in enumerate(state.read_payments, 1)]
    return {"payments": "\n".join(lines), "count": len(lines)}


def _describe(number: int, payment: PaymentText, t: Translator) -> str:
    assert payment.amount is not None
    parts = [t.money(payment.amount)]
    if payment.mode is not None:
        parts.append(t(f"mode.{payment.mode.value}"))
    if payment.reference is not None:
        shown = payment.reference
        shown = format_reference(shown) if shown.isdigit() else shown
        parts.append(t("card.utr", utr=shown))
    bank = payment.bank or payment.app
    if payment.bank is None:
        parts.append(t("card.no_bank"))
    elif payment.account_last_digits:
        parts.append(t("card.bank_account", bank=bank, digits=payment.account_last_digits))
    else:
        parts.append(payment.bank)
    if payment.occurred_at is not None:
        parts.append(t.moment(payment.occurred_at.at, payment.occurred_at.precision))
    receiver = payment.receiver_upi or payment.receiver_account or payment.receiver_name
    if receiver:
        parts.append(t("card.receiver", receiver=receiver))
    line = t("card.debit", number=number, details=" · ".join(parts))
    if payment.status is not PaymentStatus.SUCCESS:
        status = payment.status.value if payment.status else "unknown"
        line += "\n" + t(f"card.status.{status}")
    return line


def accept_payment_card(state: Conversation, payload: Payload, ctx: Context) -> None:
    choice = choice_of(payload)
    if choice not in ("yes", "no"):
        raise ValidationError("error.pick_button")
    state.last_choice = choice
    if choice == "yes":
        add_payments(state, ctx)
    state.read_payments = []


def add_payments(state: Conversation, ctx: Context) -> None:
    """The card's debits into the complaint: the same UTR twice is one debit (its missing
    fields filled), a debit being typed when the message came is replaced by it, the
    earliest time is when the money left if that was not told yet."""
    draft = state.draft
    source = SOURCES.get(state.card_source or "", DebitSource.SMS)
    implied = CATEGORY_MODES.get(draft.category or "")
    replacing = draft.editing_tx if draft.pending_tx is not None else None
    draft.pending_tx = None
    draft.editing_tx = None
    for payment in state.read_payments:
        debit = _debit(payment, source, implied)
        same = next(
            (tx for tx in draft.transactions if debit.transaction_id is not None
             and tx.transaction_id == debit.transaction_id),
            None,
        )  # fmt: skip
        if same is not None:
            for name, value in debit.model_dump(exclude={"source"}).items():
                if getattr(same, name) is None:
                    setattr(same, name, value)
        elif replacing is not None and replacing < len(draft.transactions):
            draft.transactions[replacing] = debit
            replacing = None
        else:
            draft.transactions.append(debit)
    moments = [p.occurred_at for p in state.read_payments if p.occurred_at is not None]
    if draft.lost_at is None and moments:
        set_lost_at(state, min(moments, key=lambda moment: moment.at), ctx)
    elif draft.created_at is None:
        draft.created_at = state.visit_started_at or ctx.now


def _debit(payment: PaymentText, source: DebitSource, implied: PaymentMode | None) -> Transaction:
    moment = payment.occurred_at
    return Transaction(
        amount=payment.amount,
        mode=payment.mode or implied,
        transaction_id=payment.reference,
        bank=payment.bank,
        occurred_at=moment.at if moment else None,
        occurred_precision=moment.precision if moment else None,
        account_last_digits=payment.account_last_digits,
        receiver_upi=payment.receiver_upi,
        receiver_account=payment.receiver_account,
        receiver_ifsc=payment.receiver_ifsc,
        receiver_name=payment.receiver_name,
        source=source,
    )


def receivers_to_offer(state: Conversation) -> list[str]:
    """Receivers named by pasted messages and not yet among the suspect's identifiers:
    offered at the suspect question so the person need not type them again."""
    suspect = state.draft.suspect
    known = {*suspect.upi_ids, *(a.account_number for a in suspect.bank_accounts)}
    offers: list[str] = []
    for tx in state.draft.transactions:
        for value in (tx.receiver_upi, tx.receiver_account):
            if value and value not in known and value not in offers:
                offers.append(value)
    return offers
