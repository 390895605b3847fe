"""How each step checks and stores an answer (acceptors) and which buttons it offers.

Acceptors mutate the engine's private copy of the state and raise `ValidationError` with a
catalog message id when the answer cannot be used; they never decide where to go next
(the flow declaration does).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from bot.domain.banks import Bank, bank_by_id, match_bank
from bot.domain.complaint import DebitSource, Transaction
from bot.domain.conversation import Conversation
from bot.domain.errors import ValidationError
from bot.domain.messages import ChoicePressed, ContactShared, Language, Payload, Text
from bot.domain.parsing.amount_reading import read_amount
from bot.domain.parsing.categories import read_category
from bot.domain.parsing.digits import plain_words
from bot.domain.parsing.identifiers import PaymentMode, parse_mobile
from bot.domain.parsing.replies import Reply, read_reply
from bot.domain.parsing.transaction_ids import read_transaction_id
from bot.domain.parsing.when import read_when
from bot.domain.payments import Moment, Reading
from handlers.names import clean_name
from handlers.readings import AMOUNT, BANK, CATEGORY, MOMENT, TRANSACTION_ID, sure
from handlers.spec import ChoiceSpec, Context

T = TypeVar("T")
SKIP = "skip"
HINT = "hint"  # a button offering a value read from the person's earlier words
# Words that make a typed name a bank's name when it is not in our directory.
_BANK_WORDS = frozenset(
    {"bank", "bnk", "बैंक", "sahakari", "सहकारी", "gramin", "ग्रामीण", "cooperative", "coop"}
)
_MAX_BANK_WORDS = 8

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
    "attempt": None,
    "threat": None,
    "other": None,
}
# Kinds of fraud in which no money left the account: the money questions are not asked.
NO_LOSS_CATEGORIES = frozenset({"attempt", "threat"})
NO_LOSS = "no_loss"  # the button (and typed words) for "no money was lost"
FIRST_DETAIL_STEP = "suspect"  # the first question after registration
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


def accept_new_confirm(state: Conversation, payload: Payload, ctx: Context) -> None:
    accept_choice(state, payload, ctx)
    if state.last_choice == "finish" and state.paused_step is None:
        state.paused_step = FIRST_DETAIL_STEP  # from the menu: where the details begin


def accept_menu(state: Conversation, payload: Payload, ctx: Context) -> None:
    accept_choice(state, payload, ctx)
    if state.last_choice == "language":
        state.language = Language.EN if state.language == Language.HI else Language.HI


# --- money trail ----------------------------------------------------------------------


def accept_category(state: Conversation, payload: Payload, ctx: Context) -> None:
    choice = choice_of(payload)
    if choice is None:
        choice = sure(payload, CATEGORY, _read_category)
    if choice not in CATEGORY_MODES:
        raise ValidationError("error.pick_button")
    state.draft.category = choice
    if choice in NO_LOSS_CATEGORIES and not state.draft.transactions:
        state.draft.no_loss = True
    implied = CATEGORY_MODES[choice]
    for tx in state.draft.transactions:
        if implied is not None and tx.mode is None:
            tx.mode = implied


def _read_category(text: str) -> Reading[str]:
    reading = read_category(text)
    if reading is None:
        raise ValidationError("error.category.unknown")
    return reading


def accept_lost_at(state: Conversation, payload: Payload, ctx: Context) -> None:
    state.last_choice = None
    if says_no_loss(state, payload):
        state.draft.no_loss = True
        state.last_choice = NO_LOSS  # asked again: when did it happen?
        return
    set_lost_at(state, sure(payload, MOMENT, lambda text: read_when(text, ctx.now)), ctx)


def says_no_loss(state: Conversation, payload: Payload) -> bool:
    """ "No money was lost", pressed or typed ("kuch nahi gaya"), before any debit."""
    if state.draft.transactions or state.draft.no_loss:
        return False
    if choice_of(payload) == NO_LOSS:
        return True
    # Words, not "0": a bare zero may be a slip, and is answered with the button instead.
    return (
        isinstance(payload, Text)
        and any(char.isalpha() for char in payload.text)
        and read_reply(payload.text) is Reply.NOTHING_LOST
    )


def set_lost_at(state: Conversation, moment: Moment, ctx: Context) -> None:
    """When the money left; the first debit told without a time of its own shares it."""
    draft = state.draft
    previous = draft.lost_at
    draft.lost_at, draft.lost_at_precision = moment.at, moment.precision
    if draft.created_at is None:
        draft.created_at = state.visit_started_at or ctx.now
    for tx in draft.transactions:
        if tx.occurred_at is None or tx.occurred_at == previous:
            tx.occurred_at, tx.occurred_precision = moment.at, moment.precision
            break


def accept_amount(state: Conversation, payload: Payload, ctx: Context) -> None:
    state.last_choice = None
    if says_no_loss(state, payload):
        state.draft.no_loss = True
        state.draft.pending_tx = None
        state.draft.editing_tx = None
        state.last_choice = NO_LOSS
        return
    state.draft.no_loss = False
    tx = _pending(state)
    if choice_of(payload) == HINT and "amount" in state.hints:
        tx.amount = Decimal(state.hints.pop("amount"))
    else:
        tx.amount = sure(payload, AMOUNT, read_amount)
    state.hints.pop("amount", None)
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
    mode = tx.mode or PaymentMode.OTHER
    tx.transaction_id = sure(payload, TRANSACTION_ID, lambda text: read_transaction_id(text, mode))


def accept_bank(state: Conversation, payload: Payload, ctx: Context) -> None:
    tx = debit_needing_bank(state)
    choice = choice_of(payload)
    if choice is not None:
        bank = bank_by_id(choice)
        if bank is None or choice not in dict(BANKS):
            raise ValidationError("error.pick_button")
        tx.bank = _bank_name(bank, tx.mode)
    else:
        tx.bank = sure(payload, BANK, lambda text: _read_bank(text, tx.mode))
    if pending_index(state) == 0 or tx.source is not DebitSource.TYPED:
        # The first debit's time is when the money left; an SMS gave its own time.
        tx.occurred_at = tx.occurred_at or state.draft.lost_at
        if tx.occurred_precision is None and tx.occurred_at == state.draft.lost_at:
            tx.occurred_precision = state.draft.lost_at_precision
        _commit_pending(state)


def debit_needing_bank(state: Conversation) -> Transaction:
    """The debit being entered, or else the first one a pasted SMS left without a bank."""
    draft = state.draft
    if draft.pending_tx is None:
        for index, tx in enumerate(draft.transactions):
            if tx.bank is None:
                draft.editing_tx, draft.pending_tx = index, tx.model_copy(deep=True)
                break
    return _pending(state)


def _bank_name(bank: Bank, mode: PaymentMode | None) -> str:
    """The name the bank's own SMS uses. An app is not a bank: the money left a bank
    account linked to it, which is what a hold request needs (a wallet is its own)."""
    if bank.is_app and mode is not PaymentMode.WALLET:
        raise ValidationError("error.bank.is_app", app=bank.name)
    return bank.name


def _read_bank(text: str, mode: PaymentMode | None) -> Reading[str]:
    reading = match_bank(text)
    words = set(plain_words(text).split())
    if reading is not None and not (
        reading.why == "unsure.bank.loose" and _names_another(words, reading.value)
    ):
        return Reading(_bank_name(reading.value, mode), reading.sure, reading.why)
    if not words & _BANK_WORDS or len(words) > _MAX_BANK_WORDS:
        raise ValidationError("error.bank.unknown")
    # A bank not in our list ("Raipur Nagrik Sahakari Bank"): taken as typed, once the
    # person confirms it is the bank's name.
    return Reading(clean_name(text, "error.bank.unknown"), sure=False, why="unsure.bank.unlisted")


def _names_another(words: set[str], bank: Bank) -> bool:
    """ "Raipur Nagrik Sahakari Bank" points loosely at a state's cooperative bank through
    "sahakari", but its other words name a different bank: taken as typed, not as that."""
    own = set(plain_words(" ".join((bank.name, *bank.aliases))).split())
    return bool(words - own - _BANK_WORDS)


def accept_tx_time(state: Conversation, payload: Payload, ctx: Context) -> None:
    tx = _pending(state)
    same = choice_of(payload) == "same" or (
        isinstance(payload, Text) and read_reply(payload.text) is Reply.SAME
    )
    if same:
        tx.occurred_at, tx.occurred_precision = state.draft.lost_at, state.draft.lost_at_precision
    else:
        moment = sure(payload, MOMENT, lambda text: read_when(text, ctx.now))
        tx.occurred_at, tx.occurred_precision = moment.at, moment.precision
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


def add_unique(values: list[str], value: str) -> None:
    if value not in values:
        values.append(value)
