"""Text that depends on the state: summaries, dynamic buttons, prompt parameters.

Kept apart from the flow declaration so the declaration stays a readable table.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from bot.domain.awareness import FOOTER
from bot.domain.complaint import ComplaintSummary, Draft, Transaction
from bot.domain.conversation import Conversation
from bot.domain.i18n import Translator, translator
from bot.domain.messages import Choice, Language
from bot.domain.places import CHHATTISGARH_DISTRICTS, HOME_STATE_ID, STATES, find_place, place_by_id
from bot.domain.reference import format_reference
from handlers.answers import BANKS, NO_LOSS, pending_index
from handlers.details import MAX_EVIDENCE_FILES
from handlers.payment_card import receivers_to_offer
from handlers.spec import Context, offering

NOT_GIVEN = "—"


def _choice(choice_id: str, label_msgid: str, t: Translator) -> Choice:
    return Choice(choice_id, t(label_msgid))


def describe_transaction(index: int, tx: Transaction, t: Translator) -> str:
    parts = [t.money(tx.amount) if tx.amount is not None else NOT_GIVEN]
    if tx.mode is not None:
        parts.append(t(f"mode.{tx.mode.value}"))
    parts.append(t("summary.utr", utr=tx.transaction_id or NOT_GIVEN))
    parts.append(tx.bank or NOT_GIVEN)
    if tx.occurred_at is not None:
        parts.append(t.moment(tx.occurred_at, tx.occurred_precision))
    receiver = tx.receiver_upi or tx.receiver_account or tx.receiver_name
    if receiver:
        parts.append(t("card.receiver", receiver=receiver))
    return t("summary.transaction", number=index + 1, details=" · ".join(parts))


def money_trail(draft: Draft, t: Translator) -> str:
    lines = [
        t("summary.category", value=t(f"category.{draft.category}") if draft.category else "—"),
        t(
            "summary.lost_at",
            value=t.moment(draft.lost_at, draft.lost_at_precision) if draft.lost_at else NOT_GIVEN,
        ),
    ]
    lines += [describe_transaction(i, tx, t) for i, tx in enumerate(draft.transactions)]
    if draft.no_loss and not draft.transactions:
        lines.append(t("summary.no_loss"))
    else:
        lines.append(t("summary.total", value=t.money(draft.total_amount())))
    lines.append(t("summary.mobile", value=draft.mobile or NOT_GIVEN))
    return "\n".join(lines)


def full_summary(state: Conversation, t: Translator) -> str:
    draft = state.draft
    suspect = draft.suspect
    accounts = [f"{a.account_number} ({a.ifsc or NOT_GIVEN})" for a in suspect.bank_accounts]
    identifiers = suspect.mobiles + suspect.upi_ids + accounts + suspect.urls + suspect.other
    state_place = place_by_id(draft.state_code or "", STATES)
    district = draft.district
    if district and draft.state_code == HOME_STATE_ID:
        known = find_place(district, CHHATTISGARH_DISTRICTS)
        district = known.name(t.language) if known else district
    location = ", ".join(
        part for part in (district, state_place.name(t.language) if state_place else None) if part
    )
    evidence = (
        t.plural("summary.evidence", "summary.evidence_plural", len(draft.evidence))
        if draft.evidence
        else t("summary.no_evidence")
    )
    lines = [
        money_trail(draft, t),
        t("summary.suspect", value=", ".join(identifiers) or NOT_GIVEN),
        t("summary.description", value=_shorten(draft.description) or NOT_GIVEN),
        t("summary.name", value=draft.name or NOT_GIVEN),
        t("summary.location", value=location or NOT_GIVEN),
        evidence,
    ]
    return "\n".join(lines)


def _shorten(text: str | None, limit: int = 300) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


# --- prompt parameters ------------------------------------------------------------------


def trail_params(state: Conversation, t: Translator) -> Mapping[str, object]:
    return {"summary": money_trail(state.draft, t)}


def summary_params(state: Conversation, t: Translator) -> Mapping[str, object]:
    return {
        "summary": full_summary(state, t),
        "reference": format_reference(state.reference or ""),
    }


def tx_params(state: Conversation, t: Translator) -> Mapping[str, object]:
    return {"number": pending_index(state) + 1}


def suspect_params(state: Conversation, t: Translator) -> Mapping[str, object]:
    return {"count": state.draft.suspect.count()}


def evidence_params(state: Conversation, t: Translator) -> Mapping[str, object]:
    return {"count": len(state.draft.evidence), "maximum": MAX_EVIDENCE_FILES}


def amount_prompt(state: Conversation) -> str:
    """ "How much money was taken?"; with the payment's number only when there are several."""
    draft = state.draft
    several = len(draft.transactions) + (1 if draft.editing_tx is None else 0) > 1
    return "prompt.amount.numbered" if several else "prompt.amount"


def utr_prompt(state: Conversation) -> str:
    tx = state.draft.pending_tx
    mode = tx.mode.value if tx is not None and tx.mode is not None else "other"
    return f"prompt.utr.{mode}"


def ifsc_params(state: Conversation, t: Translator) -> Mapping[str, object]:
    return {"account": state.draft.pending_account or ""}


# --- dynamic buttons ----------------------------------------------------------------------


def bank_choices(state: Conversation, t: Translator) -> tuple[Choice, ...]:
    return tuple(Choice(bank_id, name) for bank_id, name in BANKS)


@offering("hint", NO_LOSS)
def amount_hint_choices(state: Conversation, t: Translator) -> tuple[Choice, ...]:
    """The amount the person's first words named ("mere account se 5000 kat gaye"), one
    tap away at the amount question of the first debit; and "no money was lost"."""
    if pending_index(state) != 0 or state.draft.transactions:
        return ()
    hint = state.hints.get("amount")
    offered = no_loss_choices(state, t)
    if hint is None:
        return offered
    return (Choice("hint", t("choice.amount_hint", amount=t.money(Decimal(hint)))), *offered)


@offering(NO_LOSS)
def no_loss_choices(state: Conversation, t: Translator) -> tuple[Choice, ...]:
    """ "No money was lost": the way to a report without debits, until one is told."""
    if state.draft.transactions or state.draft.no_loss:
        return ()
    return (Choice(NO_LOSS, t("choice.no_loss")),)


def lost_at_prompt(state: Conversation) -> str:
    return "prompt.incident_at" if state.draft.no_loss else "prompt.lost_at"


@offering("same")
def tx_time_choices(state: Conversation, t: Translator) -> tuple[Choice, ...]:
    return (_choice("same", "choice.same_time", t),)


@offering("use_known")
def mobile_choices(state: Conversation, t: Translator) -> tuple[Choice, ...]:
    if state.phone_hint:
        return (Choice("use_known", t("choice.use_number", number=state.phone_hint)),)
    return ()


@offering("done")
def loop_choices(state: Conversation, t: Translator) -> tuple[Choice, ...]:
    """'Skip' before anything was added, 'Done' after: the button says what it does."""
    added = (
        state.draft.suspect.count()
        if state.step.startswith("suspect")
        else len(state.draft.evidence)
    )
    return (_choice("done", "choice.done" if added else "choice.skip", t),)  # same effect


@offering("done")
def suspect_choices(state: Conversation, t: Translator) -> tuple[Choice, ...]:
    """Whom a pasted SMS says the money went to, one tap each, then Skip or Done."""
    offers = tuple(
        Choice(f"receiver:{index}", t("choice.add_receiver", value=value))
        for index, value in enumerate(receivers_to_offer(state))
    )
    return offers + loop_choices(state, t)


def district_choices(state: Conversation, t: Translator) -> tuple[Choice, ...]:
    if state.draft.state_code != HOME_STATE_ID:
        return ()
    return tuple(Choice(d.id, d.label(t.language)) for d in CHHATTISGARH_DISTRICTS)


def state_params(state: Conversation, t: Translator) -> Mapping[str, object]:
    place = place_by_id(state.draft.state_code or "", STATES)
    return {"state": place.name(t.language) if place else ""}


def district_prompt(state: Conversation) -> str:
    return "prompt.district.home" if state.draft.state_code == HOME_STATE_ID else "prompt.district"


@offering(
    "category", "lost_at", "tx", "add_tx", "mobile", "suspect", "description", "name",
    "location", "evidence", "back",
)  # fmt: skip
def edit_choices(state: Conversation, t: Translator) -> tuple[Choice, ...]:
    draft = state.draft
    choices = [_choice("category", "edit.category", t), _choice("lost_at", "edit.lost_at", t)]
    choices += [
        Choice(
            f"tx:{i}", t("edit.transaction", number=i + 1, amount=t.money(tx.amount or Decimal(0)))
        )
        for i, tx in enumerate(draft.transactions)
    ]
    choices += [_choice("add_tx", "edit.add_tx", t), _choice("mobile", "edit.mobile", t)]
    if state.reference is not None:
        choices += [
            _choice(field, f"edit.{field}", t)
            for field in ("suspect", "description", "name", "location", "evidence")
        ]
    choices.append(_choice("back", "choice.back", t))
    return tuple(choices)


# --- things said on the way ------------------------------------------------------------


def say_registered(state: Conversation, t: Translator, ctx: Context) -> str:
    reference = format_reference(state.reference or "")
    if not state.draft.no_loss:
        return t("say.registered", reference=reference)
    parts = [t("say.registered_no_loss", reference=reference)]
    if state.draft.category == "sextortion":
        parts.append(t("advice.sextortion"))
    parts.append(t("say.details_next"))
    return "\n\n".join(parts)


def say_status(state: Conversation, t: Translator, ctx: Context) -> str:
    complaints = ctx.complaints_of_user()
    if not complaints:
        return t("status.none")
    lines = [t("status.header")]
    for item in complaints:
        lines.append(status_line("status.line", item, t))
    return "\n".join(lines)


def status_line(msgid: str, item: ComplaintSummary, t: Translator) -> str:
    """One complaint as its owner sees it: reference, date, amount, status, last note."""
    line = t(
        msgid,
        reference=format_reference(item.reference),
        date=t.date(item.created_at),
        amount=t.money(item.total_amount),
        status=t(f"status.{item.status}"),
    )
    return line + ("\n" + t("status.note", note=item.note) if item.note else "")


def say_submitted(state: Conversation, t: Translator, ctx: Context) -> str:
    return t("say.submitted", reference=format_reference(state.reference or ""))


def broadcast_params(state: Conversation, t: Translator) -> Mapping[str, object]:
    """The campaign exactly as subscribers will read it, footer included."""
    english, hindi = translator(Language.EN), translator(Language.HI)
    return {
        "english": f"{state.broadcast_en or ''}\n\n{english(FOOTER)}",
        "hindi": f"{state.broadcast_hi or ''}\n\n{hindi(FOOTER)}",
    }


def say_broadcast_queued(state: Conversation, t: Translator, ctx: Context) -> str:
    return t("say.broadcast_queued", count=ctx.subscriber_count())


def resume_prompt(state: Conversation) -> str:
    return "prompt.resume.registered" if state.reference else "prompt.resume"
