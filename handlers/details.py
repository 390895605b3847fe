"""How the steps after registration check and store their answers: suspect identifiers,
description, name, state and district, screenshots, the final submit; and an operator's
awareness campaign. The money trail's acceptors are in `handlers.answers`."""

from __future__ import annotations

import re

from bot.domain.complaint import BankAccount, Evidence
from bot.domain.conversation import Conversation
from bot.domain.errors import ValidationError
from bot.domain.messages import Attachment, ContactShared, Payload
from bot.domain.parsing.finding import IdentifierKind, find_identifiers, inert_url
from bot.domain.parsing.identifiers import classify_suspect_identifier, parse_ifsc, parse_mobile
from bot.domain.places import CHHATTISGARH_DISTRICTS, HOME_STATE_ID, STATES, find_place, place_by_id
from handlers.answers import (
    SKIP,
    accept_choice,
    add_unique,
    choice_of,
    is_skip,
    text_of,
    within,
)
from handlers.names import clean_name
from handlers.payment_card import receivers_to_offer
from handlers.spec import Context

MAX_EVIDENCE_FILES = 10
ACCEPTED_MEDIA = re.compile(r"^(image/(jpeg|png|webp|heic|heif)|application/pdf)$")


def accept_suspect(state: Conversation, payload: Payload, ctx: Context) -> None:
    if choice_of(payload) in {"done", SKIP}:
        state.last_choice = "done"
        return
    state.last_choice = None
    if isinstance(payload, ContactShared):
        add_unique(state.draft.suspect.mobiles, parse_mobile(payload.phone))
        return
    choice = choice_of(payload)
    if choice is not None and choice.startswith("receiver:"):
        _add_receiver(state, choice.split(":", 1)[1])
        return
    found = within(text_of(payload), classify_suspect_identifier)
    suspect = state.draft.suspect
    if found.kind == "mobile":
        add_unique(suspect.mobiles, found.value)
    elif found.kind == "upi_id":
        add_unique(suspect.upi_ids, found.value)
    elif found.kind == "url":
        add_unique(suspect.urls, _website(found.value))
    elif found.ifsc is not None:
        suspect.bank_accounts.append(BankAccount(account_number=found.value, ifsc=found.ifsc))
    else:
        state.draft.pending_account = found.value


def _add_receiver(state: Conversation, index: str) -> None:
    """A receiver named by a pasted SMS, offered as a button (see `receivers_to_offer`)."""
    offers = receivers_to_offer(state)
    if not index.isdigit() or int(index) >= len(offers):
        raise ValidationError("error.pick_button")
    value = offers[int(index)]
    suspect = state.draft.suspect
    for tx in state.draft.transactions:
        if tx.receiver_upi == value:
            add_unique(suspect.upi_ids, value)
            return
        if tx.receiver_account == value:
            suspect.bank_accounts.append(BankAccount(account_number=value, ifsc=tx.receiver_ifsc))
            return


def _website(value: str) -> str:
    """A suspect's website, stored inert ("hxxps://fraud[.]example/x") so that no screen
    it reaches (the victim's summary, an operator's terminal, the reporting system) turns
    it into a link; only http(s) addresses with a real host, holding nothing but the
    address, are taken. An @handle is kept as typed."""
    if value.startswith("@"):
        return value
    found = find_identifiers(value)
    if len(found) != 1 or found[0].kind is not IdentifierKind.URL or found[0].value != value:
        raise ValidationError("error.url.invalid")
    return inert_url(value)


def accept_suspect_ifsc(state: Conversation, payload: Payload, ctx: Context) -> None:
    account = state.draft.pending_account
    ifsc = None if is_skip(payload) else parse_ifsc(text_of(payload))
    if account is not None:
        state.draft.suspect.bank_accounts.append(BankAccount(account_number=account, ifsc=ifsc))
    state.draft.pending_account = None


def accept_description(state: Conversation, payload: Payload, ctx: Context) -> None:
    if is_skip(payload):
        return
    text = text_of(payload)
    if len(text) < 3:
        raise ValidationError("error.description.short")
    state.draft.description = text


def accept_broadcast_en(state: Conversation, payload: Payload, ctx: Context) -> None:
    state.broadcast_en = text_of(payload)


def accept_broadcast_hi(state: Conversation, payload: Payload, ctx: Context) -> None:
    state.broadcast_hi = text_of(payload)


def accept_name(state: Conversation, payload: Payload, ctx: Context) -> None:
    state.draft.name = clean_name(text_of(payload), "error.name.invalid")


def accept_state(state: Conversation, payload: Payload, ctx: Context) -> None:
    choice = choice_of(payload)
    if choice is not None:
        accept_choice(state, payload, ctx)
        if choice == HOME_STATE_ID:
            _set_state(state, HOME_STATE_ID)
        return
    place = find_place(text_of(payload), STATES)
    if place is None:
        raise ValidationError("error.state.unknown")
    state.last_choice = None
    _set_state(state, place.id)


def _set_state(state: Conversation, state_id: str) -> None:
    if state.draft.state_code != state_id:
        state.draft.district = None
    state.draft.state_code = state_id


def accept_district(state: Conversation, payload: Payload, ctx: Context) -> None:
    choice = choice_of(payload)
    if state.draft.state_code == HOME_STATE_ID:
        place = (
            place_by_id(choice, CHHATTISGARH_DISTRICTS)
            if choice is not None
            else find_place(text_of(payload), CHHATTISGARH_DISTRICTS)
        )
        if place is None:
            raise ValidationError("error.district.unknown")
        state.draft.district = place.en
        return
    state.draft.district = clean_name(text_of(payload), "error.district.invalid")


def accept_evidence(state: Conversation, payload: Payload, ctx: Context) -> None:
    if choice_of(payload) in {"done", SKIP}:
        state.last_choice = "done"
        return
    state.last_choice = None
    if not isinstance(payload, Attachment):
        raise ValidationError("error.evidence.send_file")
    if not ACCEPTED_MEDIA.match(payload.mime_type):
        raise ValidationError("error.evidence.type")
    if payload.size_bytes > ctx.max_attachment_bytes:
        raise ValidationError(
            "error.evidence.too_large", megabytes=ctx.max_attachment_bytes // (1024 * 1024)
        )
    if len(state.draft.evidence) >= MAX_EVIDENCE_FILES:
        raise ValidationError("error.evidence.too_many", maximum=MAX_EVIDENCE_FILES)
    state.draft.evidence.append(evidence_of(payload))


def evidence_of(payload: Attachment) -> Evidence:
    """The file as the complaint keeps it."""
    return Evidence(
        file_ref=payload.file_ref,
        sha256=payload.sha256,
        mime_type=payload.mime_type,
        size_bytes=payload.size_bytes,
        kind=payload.kind,
    )


def accept_summary(state: Conversation, payload: Payload, ctx: Context) -> None:
    accept_choice(state, payload, ctx)
    if state.last_choice == "submit":
        state.draft.consent_at = ctx.now
