"""How each step checks and stores an answer (acceptors) and which buttons it offers.

Acceptors mutate the engine's private copy of the state and raise `ValidationError` with a
catalog message id when the answer cannot be used; they never decide where to go next
(the flow declaration does).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import TypeVar

from bot.domain.complaint import Transaction
from bot.domain.conversation import Conversation
from bot.domain.errors import ValidationError
from bot.domain.messages import ChoicePressed, ContactShared, Language, Payload, Text
from bot.domain.parsing.amounts import parse_amount
from bot.domain.parsing.identifiers import (
    PaymentMode,
    parse_mobile,
    parse_utr,
)
from bot.domain.parsing.when import parse_when
from handlers.spec import ChoiceSpec, Context

T = TypeVar("T")
SKIP = "skip"

CATEGORY_MODES: dict[str, PaymentMode | None] = {
    "upi": PaymentMode.UPI,
    "card_sim": PaymentMode.CARD,
    "netbanking": None,
    "wallet": PaymentMode.WALLET,
    "aeps": PaymentMode.OTHER,
    "vishing": None,
    "investment": None,
    "job": None,
    "loan_app": None,
    "shopping": None,
    "sextortion": None,
    "other": None,
}
CATEGORY_CHOICES = tuple(ChoiceSpec(cat, f"category.{cat}") for cat in CATEGORY_MODES)
MODE_CHOICES = tuple(ChoiceSpec(mode.value, f"mode.{mode.value}") for mode in PaymentMode)

# Bank and wallet names are proper nouns: shown as people see them in their SMS.
BANKS: tuple[tuple[str, str], ...] = (
    ("sbi", "SBI"),
    ("hdfc", "HDFC Bank"),
    ("icici", "ICICI Bank"),
    ("axis", "Axis Bank"),
    ("pnb", "PNB"),
    ("bob", "Bank of Baroda"),
    ("kotak", "Kotak Bank"),
    ("canara", "Canara Bank"),
    ("union", "Union Bank"),
    ("paytm", "Paytm"),
)
_NAME_PUNCTUATION = frozenset(" .,'&()-/")
_JOINERS = frozenset("\u200c\u200d")  # ZWNJ, ZWJ
_INDIC = range(0x0900, 0x0E00)  # Devanagari to Sinhala: the scripts of India's languages


def choice_of(payload: Payload) -> str | None:
    return payload.choice_id if isinstance(payload, ChoicePressed) else None


def is_skip(payload: Payload) -> bool:
    return choice_of(payload) == SKIP


def text_of(payload: Payload) -> str:
    if isinstance(payload, Text):
        return payload.text.strip()
    raise ValidationError("error.type_it")


def _pending(state: Conversation) -> Transaction:
    if state.draft.pending_tx is None:
        state.draft.pending_tx = Transaction()
    return state.draft.pending_tx


def _commit_pending(state: Conversation) -> None:
    """Moves the finished debit into the list (replacing the one being edited)."""
    draft = state.draft
    tx = draft.pending_tx
    if tx is None:
        return
    if draft.editing_tx is not None and draft.editing_tx < len(draft.transactions):
        draft.transactions[draft.editing_tx] = tx
    else:
        draft.transactions.append(tx)
    draft.pending_tx = None
    draft.editing_tx = None


def pending_index(state: Conversation) -> int:
    draft = state.draft
    return draft.editing_tx if draft.editing_tx is not None else len(draft.transactions)


# --- menu and housekeeping --------------------------------------------------------------


def accept_language(state: Conversation, payload: Payload, ctx: Context) -> None:
    choice = choice_of(payload)
    if choice not in {lang.value for lang in Language}:
        raise ValidationError("error.pick_button")
    state.language = Language(choice)


def accept_choice(state: Conversation, payload: Payload, ctx: Context) -> None:
    """For steps whose buttons only steer: remember which one, the flow does the rest."""
    choice = choice_of(payload)
    if choice is None:
        raise ValidationError("error.pick_button")
    state.last_choice = choice.split(":", 1)[0]


def accept_resume(state: Conversation, payload: Payload, ctx: Context) -> None:
    accept_choice(state, payload, ctx)
    state.pending_intent = "restart" if state.last_choice == "restart" else None


def accept_menu(state: Conversation, payload: Payload, ctx: Context) -> None:
    accept_choice(state, payload, ctx)
    if state.last_choice == "language":
        state.language = Language.EN if state.language == Language.HI else Language.HI


# --- money trail ----------------------------------------------------------------------


def accept_category(state: Conversation, payload: Payload, ctx: Context) -> None:
    choice = choice_of(payload)
    if choice not in CATEGORY_MODES:
        raise ValidationError("error.pick_button")
    state.draft.category = choice
    implied = CATEGORY_MODES[choice]
    for tx in state.draft.transactions:
        if implied is not None and tx.mode is None:
            tx.mode = implied


def accept_lost_at(state: Conversation, payload: Payload, ctx: Context) -> None:
    moment = parse_when(text_of(payload), ctx.now)
    draft = state.draft
    previous = draft.lost_at
    draft.lost_at = moment
    if draft.created_at is None:
        draft.created_at = ctx.now
    for tx in draft.transactions:
        if tx.occurred_at is None or tx.occurred_at == previous:
            tx.occurred_at = moment
            break


def accept_amount(state: Conversation, payload: Payload, ctx: Context) -> None:
    tx = _pending(state)
    tx.amount = parse_amount(text_of(payload))
    implied = CATEGORY_MODES.get(state.draft.category or "")
    if tx.mode is None and implied is not None:
        tx.mode = implied


def accept_mode(state: Conversation, payload: Payload, ctx: Context) -> None:
    choice = choice_of(payload)
    if choice not in {mode.value for mode in PaymentMode}:
        raise ValidationError("error.pick_button")
    _pending(state).mode = PaymentMode(choice)


def accept_utr(state: Conversation, payload: Payload, ctx: Context) -> None:
    tx = _pending(state)
    if is_skip(payload):
        tx.transaction_id = None
        return
    tx.transaction_id = parse_utr(text_of(payload), tx.mode or PaymentMode.OTHER)


def accept_bank(state: Conversation, payload: Payload, ctx: Context) -> None:
    tx = _pending(state)
    choice = choice_of(payload)
    if choice is not None:
        names = dict(BANKS)
        if choice not in names:
            raise ValidationError("error.pick_button")
        tx.bank = names[choice]
    else:
        tx.bank = clean_name(text_of(payload), "error.bank.invalid")
    if pending_index(state) == 0:
        tx.occurred_at = tx.occurred_at or state.draft.lost_at
        _commit_pending(state)


def accept_tx_time(state: Conversation, payload: Payload, ctx: Context) -> None:
    tx = _pending(state)
    if choice_of(payload) == "same":
        tx.occurred_at = state.draft.lost_at
    else:
        tx.occurred_at = parse_when(text_of(payload), ctx.now)
    _commit_pending(state)


def accept_mobile(state: Conversation, payload: Payload, ctx: Context) -> None:
    if choice_of(payload) == "use_known" and state.phone_hint:
        state.draft.mobile = parse_mobile(state.phone_hint)
    elif isinstance(payload, ContactShared):
        state.draft.mobile = parse_mobile(payload.phone)
    else:
        state.draft.mobile = within(text_of(payload), parse_mobile)


def accept_tx_edit(state: Conversation, payload: Payload, ctx: Context) -> None:
    accept_choice(state, payload, ctx)
    draft = state.draft
    if state.last_choice == "remove" and draft.editing_tx is not None:
        if len(draft.transactions) <= 1:
            raise ValidationError("error.tx.last_one")
        del draft.transactions[draft.editing_tx]
        draft.pending_tx = None
        draft.editing_tx = None


def accept_edit(state: Conversation, payload: Payload, ctx: Context) -> None:
    choice = choice_of(payload)
    accept_choice(state, payload, ctx)
    draft = state.draft
    if choice is not None and choice.startswith("tx:"):
        index = int(choice.split(":", 1)[1])
        if not 0 <= index < len(draft.transactions):
            raise ValidationError("error.pick_button")
        draft.editing_tx = index
        draft.pending_tx = draft.transactions[index].model_copy(deep=True)
        # Re-entering a debit asks its payment mode again unless the category fixes it.
        draft.pending_tx.mode = CATEGORY_MODES.get(draft.category or "")
    elif choice == "add_tx":
        draft.editing_tx = None
        draft.pending_tx = Transaction()


def within(text: str, parse: Callable[[str], T]) -> T:
    """`parse(text)`, or else the one word of the text that parses ("my number is
    98765 43210" -> the number): people wrap answers in sentences."""
    try:
        return parse(text)
    except ValidationError as refusal:
        words = text.replace(",", " ").split()
        for size in (1, 2, 3):  # "9876543210", "98765 43210", "+91 98765 43210"
            found = []
            for start in range(len(words) - size + 1):
                try:
                    found.append(parse(" ".join(words[start : start + size])))
                except ValidationError:
                    continue
            unique = list(dict.fromkeys(found))
            if len(unique) == 1:
                return unique[0]
            if unique:
                break  # two different candidates: ask rather than guess
        raise refusal


def clean_name(text: str, msgid: str) -> str:
    """A person's, bank's or district's name: starts with a letter, then letters, vowel
    signs (Devanagari matras are marks, not letters), a little punctuation, at most two
    digits (a bank such as "AU Small Finance Bank 2" is fine, a phone number is not).
    Zero-width joiners (ZWJ, ZWNJ) are accepted inside Indic words, where keyboards put
    them to choose a conjunct's shape: "सुनीता‍वर्मा" is a name as typed."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    allowed = all(
        unicodedata.category(ch)[0] in "LMN"
        or ch in _NAME_PUNCTUATION
        or (ch in _JOINERS and _inside_indic_word(text, i))
        for i, ch in enumerate(text)
    )
    starts_with_letter = bool(text) and unicodedata.category(text[0]).startswith("L")
    digits = sum(ch.isdigit() for ch in text)
    if not (2 <= len(text) <= 80 and allowed and starts_with_letter and digits <= 2):
        raise ValidationError(msgid)
    return text


def _inside_indic_word(text: str, index: int) -> bool:
    """A joiner at `index` has an Indic letter or sign on each side (so not at either
    end, not alone, not beside a space, another joiner or Latin letters)."""
    if not 0 < index < len(text) - 1:
        return False
    return all(
        _INDIC.start <= ord(ch) < _INDIC.stop and unicodedata.category(ch)[0] in "LM"
        for ch in (text[index - 1], text[index + 1])
    )


def add_unique(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)
