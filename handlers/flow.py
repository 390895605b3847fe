"""The complaint conversation, declared as data.

Read top to bottom it is the conversation a victim has: language, menu, then the money
trail (what the bank hold depends on), registration with a reference number, then the
details that help the police, a summary and the final submit. `handlers.engine` interprets
it; `handlers.diagram` draws it. `FLOW` checks the declaration when this module is
imported. Two targets are resolved at run time: `RETURN` goes back to where an edit
started, `PAUSED` to where the person paused.
"""

from __future__ import annotations

from bot.domain.awareness import MAX_CUSTOM_CHARS
from bot.domain.conversation import Conversation
from handlers.answers import (
    CATEGORY_CHOICES,
    MODE_CHOICES,
    NO_LOSS,
    accept_amount,
    accept_bank,
    accept_category,
    accept_choice,
    accept_edit,
    accept_language,
    accept_lost_at,
    accept_menu,
    accept_mobile,
    accept_mode,
    accept_new_confirm,
    accept_resume,
    accept_tx_edit,
    accept_tx_time,
    accept_utr,
)
from handlers.details import (
    accept_broadcast_en,
    accept_broadcast_hi,
    accept_description,
    accept_district,
    accept_evidence,
    accept_name,
    accept_state,
    accept_summary,
    accept_suspect,
    accept_suspect_ifsc,
)
from handlers.payment_card import accept_payment_card, card_params, card_prompt
from handlers.render import (
    amount_hint_choices,
    amount_prompt,
    bank_choices,
    broadcast_params,
    district_choices,
    district_prompt,
    edit_choices,
    evidence_params,
    ifsc_params,
    loop_choices,
    lost_at_prompt,
    mobile_choices,
    no_loss_choices,
    resume_prompt,
    say_broadcast_queued,
    say_registered,
    say_status,
    say_submitted,
    state_params,
    summary_params,
    suspect_choices,
    suspect_params,
    trail_params,
    tx_params,
    tx_time_choices,
    utr_prompt,
)
from handlers.spec import ChoiceSpec, Effect, Expect, Flow, Jump, Step, Transition

# --- guards: conditions on the state that pick a transition ---------------------------------


def mode_missing(s: Conversation) -> bool:
    return s.draft.pending_tx is not None and s.draft.pending_tx.mode is None


def tx_pending(s: Conversation) -> bool:
    return s.draft.pending_tx is not None


def mobile_missing(s: Conversation) -> bool:
    return s.draft.mobile is None


def not_registered(s: Conversation) -> bool:
    return s.reference is None


def category_missing(s: Conversation) -> bool:
    return s.draft.category is None


def lost_at_missing(s: Conversation) -> bool:
    return s.draft.lost_at is None


def no_debits(s: Conversation) -> bool:
    return not s.draft.transactions and not s.draft.no_loss


def said_no_loss(s: Conversation) -> bool:
    """They just said no money was lost (pressed or typed)."""
    return s.last_choice == NO_LOSS


def said_no_loss_mobile_missing(s: Conversation) -> bool:
    return said_no_loss(s) and mobile_missing(s)


def said_no_loss_not_registered(s: Conversation) -> bool:
    return said_no_loss(s) and not_registered(s)


def bank_missing(s: Conversation) -> bool:
    """A debit from a pasted message that did not name the bank."""
    return any(tx.bank is None for tx in s.draft.transactions)


def account_pending(s: Conversation) -> bool:
    return s.draft.pending_account is not None


def registered_open(s: Conversation) -> bool:
    """A registered complaint whose details are not complete yet."""
    return s.reference is not None


def intent_restart(s: Conversation) -> bool:
    return s.pending_intent == "restart"


def awareness_not_offered(s: Conversation) -> bool:
    return not s.subscribed and "awareness_offer" not in s.asked_once


RETURN = Jump.EDIT_START
PAUSED = Jump.PAUSED
CARD_FROM = Jump.CARD_FROM
_TO_CONFIRMATION = (Transition("confirm_trail", guard=not_registered), Transition("summary"))
_AFTER_DEBIT = (
    Transition("tx_bank", guard=bank_missing),
    Transition("mobile", guard=mobile_missing),
    *_TO_CONFIRMATION,
)

STEPS: tuple[Step, ...] = (
    Step(
        "language",
        "prompt.language",
        Expect.CHOICE,
        accept_language,
        choices=(ChoiceSpec("hi", "choice.hindi"), ChoiceSpec("en", "choice.english")),
        next=(Transition("menu", say="say.welcome"),),
    ),
    Step(
        "menu",
        "prompt.menu",
        Expect.CHOICE,
        accept_menu,
        # Someone who writes "my money was taken" at the menu wants to report it now.
        default_choice="report",
        reads_payments=True,
        choices=(
            ChoiceSpec("report", "menu.report"),
            ChoiceSpec("status", "menu.status"),
            ChoiceSpec("awareness", "menu.awareness"),
            ChoiceSpec("help", "menu.help"),
            ChoiceSpec("language", "menu.language"),
        ),
        next=(
            Transition("new_confirm", choice="report", guard=registered_open),
            Transition("category", choice="report", effect=Effect.DISCARD),
            Transition("menu", choice="status", say=say_status),
            Transition("awareness", choice="awareness"),
            Transition("menu", choice="help", say="help.general"),
            Transition("menu", choice="language", say="say.language_switched"),
        ),
    ),
    Step(
        "awareness",
        "prompt.awareness",
        Expect.CHOICE,
        accept_choice,
        choices=(
            ChoiceSpec("subscribe", "choice.subscribe"),
            ChoiceSpec("unsubscribe", "choice.unsubscribe"),
            ChoiceSpec("back", "choice.back"),
        ),
        next=(
            Transition("menu", choice="subscribe", effect=Effect.SUBSCRIBE, say="say.subscribed"),
            Transition(
                "menu", choice="unsubscribe", effect=Effect.UNSUBSCRIBE, say="say.unsubscribed"
            ),
            Transition("menu"),
        ),
    ),
    # --- the money trail: everything the bank hold depends on -----------------------------
    Step(
        "category",
        "prompt.category",
        Expect.CHOICE,
        accept_category,
        choices=CATEGORY_CHOICES,
        next=(
            Transition("lost_at", guard=lost_at_missing),
            Transition("tx_amount", guard=no_debits),
            *_AFTER_DEBIT,
        ),
        help="help.category",
        reads_payments=True,
        dont_know="error.category.dont_know",
    ),
    Step(
        "lost_at",
        lost_at_prompt,
        Expect.TEXT,
        accept_lost_at,
        choices=no_loss_choices,
        next=(
            Transition("lost_at", guard=said_no_loss, say="say.no_loss"),
            Transition("tx_amount", guard=no_debits),
            *_AFTER_DEBIT,
        ),
        help="help.when",
        reads_payments=True,
        dont_know="error.when.dont_know",
    ),
    Step(
        "tx_amount",
        amount_prompt,
        Expect.TEXT,
        accept_amount,
        params=tx_params,
        choices=amount_hint_choices,
        group="debit",
        next=(
            Transition("mobile", guard=said_no_loss_mobile_missing, say="say.no_loss"),
            Transition("confirm_trail", guard=said_no_loss_not_registered, say="say.no_loss"),
            Transition("summary", guard=said_no_loss, say="say.no_loss"),
            Transition("tx_mode", guard=mode_missing),
            Transition("tx_utr"),
        ),
        help="help.amount",
        reads_payments=True,
        dont_know="error.amount.dont_know",
    ),
    Step(
        "tx_mode",
        "prompt.mode",
        Expect.CHOICE,
        accept_mode,
        choices=MODE_CHOICES,
        group="debit",
        next=(Transition("tx_utr"),),
        reads_payments=True,
    ),
    Step(
        "tx_utr",
        utr_prompt,
        Expect.TEXT,
        accept_utr,
        skippable=True,
        group="debit",
        next=(Transition("tx_bank"),),
        help="help.utr",
        reads_payments=True,
    ),
    Step(
        "tx_bank",
        "prompt.bank",
        Expect.CHOICE_OR_TEXT,
        accept_bank,
        choices=bank_choices,
        group="debit",
        next=(Transition("tx_time", guard=tx_pending), *_AFTER_DEBIT),
        reads_payments=True,
        dont_know="error.bank.dont_know",
    ),
    Step(
        "tx_time",
        "prompt.tx_time",
        Expect.CHOICE_OR_TEXT,
        accept_tx_time,
        choices=tx_time_choices,
        params=tx_params,
        group="debit",
        next=_AFTER_DEBIT,
        help="help.when",
        reads_payments=True,
        dont_know="error.when.dont_know",
    ),
    Step(
        "mobile",
        "prompt.mobile",
        Expect.PHONE,
        accept_mobile,
        choices=mobile_choices,
        next=_TO_CONFIRMATION,
        reads_payments=True,
        dont_know="error.mobile.dont_know",
    ),
    Step(
        "confirm_trail",
        "prompt.confirm_trail",
        Expect.CHOICE,
        accept_choice,
        params=trail_params,
        field=False,
        choices=(
            ChoiceSpec("register", "choice.register"),
            ChoiceSpec("add_tx", "choice.add_tx"),
            ChoiceSpec("edit", "choice.edit"),
        ),
        next=(
            Transition("suspect", choice="register", effect=Effect.REGISTER, say=say_registered),
            Transition("tx_amount", choice="add_tx"),
            Transition("edit", choice="edit", remember=True),
        ),
        help="help.confirm_trail",
        reads_payments=True,
    ),
    Step(
        "payment_card",
        card_prompt,
        Expect.CHOICE,
        accept_payment_card,
        params=card_params,
        choices=(ChoiceSpec("yes", "choice.card_add"), ChoiceSpec("no", "choice.card_no")),
        next=(
            Transition(CARD_FROM, choice="no", say="say.card_declined"),
            Transition("category", guard=category_missing),
            Transition("lost_at", guard=lost_at_missing),
            *_AFTER_DEBIT,
        ),
        help="help.payment_card",
    ),
    Step(
        "edit",
        "prompt.edit",
        Expect.CHOICE,
        accept_edit,
        choices=edit_choices,
        field=False,
        next=(
            Transition("category", choice="category"),
            Transition("lost_at", choice="lost_at"),
            Transition("tx_edit", choice="tx"),
            Transition("tx_amount", choice="add_tx"),
            Transition("mobile", choice="mobile"),
            Transition("suspect", choice="suspect"),
            Transition("description", choice="description"),
            Transition("name", choice="name"),
            Transition("state", choice="location"),
            Transition("evidence", choice="evidence"),
            Transition(RETURN, choice="back"),
        ),
    ),
    Step(
        "tx_edit",
        "prompt.tx_edit",
        Expect.CHOICE,
        accept_tx_edit,
        params=tx_params,
        field=False,
        choices=(
            ChoiceSpec("change", "choice.change"),
            ChoiceSpec("remove", "choice.remove"),
            ChoiceSpec("back", "choice.back"),
        ),
        next=(
            Transition("tx_amount", choice="change"),
            Transition(RETURN, choice="remove", say="say.tx_removed"),
            Transition(RETURN),
        ),
    ),
    # --- registered: details that help the police trace the money -------------------------
    Step(
        "suspect",
        "prompt.suspect",
        Expect.CHOICE_OR_TEXT,
        accept_suspect,
        choices=suspect_choices,
        params=suspect_params,
        skippable=True,
        group="suspect",
        next=(
            Transition("description", choice="done"),
            Transition("suspect_ifsc", guard=account_pending),
            Transition("suspect"),
        ),
        help="help.suspect",
    ),
    Step(
        "suspect_ifsc",
        "prompt.ifsc",
        Expect.TEXT,
        accept_suspect_ifsc,
        params=ifsc_params,
        skippable=True,
        group="suspect",
        next=(Transition("suspect"),),
    ),
    Step(
        "description",
        "prompt.description",
        Expect.TEXT,
        accept_description,
        skippable=True,
        max_length=4000,
        next=(Transition("name"),),
    ),
    Step(
        "name",
        "prompt.name",
        Expect.TEXT,
        accept_name,
        next=(Transition("state"),),
        dont_know="error.name.dont_know",
    ),
    Step(
        "state",
        "prompt.state",
        Expect.CHOICE_OR_TEXT,
        accept_state,
        choices=(ChoiceSpec("CG", "choice.home_state"), ChoiceSpec("other", "choice.other_state")),
        group="location",
        next=(Transition("state_other", choice="other"), Transition("district")),
        dont_know="error.place.dont_know",
    ),
    Step(
        "state_other",
        "prompt.state_other",
        Expect.TEXT,
        accept_state,
        group="location",
        next=(Transition("district"),),
        dont_know="error.place.dont_know",
    ),
    Step(
        "district",
        district_prompt,
        Expect.CHOICE_OR_TEXT,
        accept_district,
        choices=district_choices,
        params=state_params,
        group="location",
        next=(Transition("evidence"),),
        dont_know="error.place.dont_know",
    ),
    Step(
        "evidence",
        "prompt.evidence",
        Expect.MEDIA,
        accept_evidence,
        choices=loop_choices,
        params=evidence_params,
        skippable=True,
        group="evidence",
        next=(
            Transition("summary", choice="done"),
            Transition("evidence"),
        ),
        help="help.evidence",
    ),
    Step(
        "summary",
        "prompt.summary",
        Expect.CHOICE,
        accept_summary,
        params=summary_params,
        field=False,
        choices=(ChoiceSpec("submit", "choice.submit"), ChoiceSpec("edit", "choice.edit")),
        next=(
            Transition(
                "awareness_offer",
                choice="submit",
                guard=awareness_not_offered,
                effect=Effect.SUBMIT,
                say=say_submitted,
            ),
            Transition("menu", choice="submit", effect=Effect.SUBMIT, say=say_submitted),
            Transition("edit", choice="edit", remember=True),
        ),
    ),
    Step(
        "awareness_offer",
        "prompt.awareness_offer",
        Expect.CHOICE,
        accept_choice,
        field=False,
        ask_once=True,  # asked once per person, never pre-ticked: nothing happens by default
        choices=(
            ChoiceSpec("yes", "choice.awareness_yes"),
            ChoiceSpec("no", "choice.awareness_no"),
        ),
        next=(
            Transition(
                "menu",
                choice="yes",
                effect=Effect.SUBSCRIBE,
                say="say.subscribed",
                how="after complaint",
            ),
            Transition("menu", say="say.awareness_declined"),
        ),
    ),
    # --- operators: an awareness campaign of their own (Telegram, ADMIN_TELEGRAM_IDS) ----
    Step(
        "broadcast_en",
        "prompt.broadcast_en",
        Expect.TEXT,
        accept_broadcast_en,
        field=False,
        max_length=MAX_CUSTOM_CHARS,
        screen_secrets=False,  # an operator's warning may well say "never share your OTP"
        next=(Transition("broadcast_hi"),),
    ),
    Step(
        "broadcast_hi",
        "prompt.broadcast_hi",
        Expect.TEXT,
        accept_broadcast_hi,
        field=False,
        max_length=MAX_CUSTOM_CHARS,
        screen_secrets=False,  # an operator's warning may well say "never share your OTP"
        next=(Transition("broadcast_confirm"),),
    ),
    Step(
        "broadcast_confirm",
        "prompt.broadcast_confirm",
        Expect.CHOICE,
        accept_choice,
        params=broadcast_params,
        field=False,
        choices=(
            ChoiceSpec("send", "choice.broadcast_send"),
            ChoiceSpec("cancel", "choice.broadcast_cancel"),
        ),
        next=(
            Transition("menu", choice="send", effect=Effect.BROADCAST, say=say_broadcast_queued),
            Transition("menu", say="say.broadcast_cancelled"),
        ),
    ),
    # --- housekeeping -------------------------------------------------------------------
    Step(
        "resume",
        resume_prompt,
        Expect.CHOICE,
        accept_resume,
        params=summary_params,
        field=False,
        choices=(
            ChoiceSpec("continue", "choice.continue"),
            ChoiceSpec("restart", "choice.restart"),
        ),
        next=(
            Transition(PAUSED, choice="continue"),
            Transition("cancel_confirm", choice="restart", guard=not_registered),
            Transition("new_confirm", choice="restart"),
        ),
    ),
    # "New complaint" while one is registered but not complete: asked, never silent.
    Step(
        "new_confirm",
        "prompt.new_over_open",
        Expect.CHOICE,
        accept_new_confirm,
        params=summary_params,
        field=False,
        choices=(
            ChoiceSpec("finish", "choice.finish_open"),
            ChoiceSpec("new", "choice.start_new"),
        ),
        next=(
            Transition(PAUSED, choice="finish"),
            Transition("category", choice="new", effect=Effect.DISCARD, say="say.new_started"),
        ),
    ),
    # "stop" in the middle of a complaint: this complaint for now, or the safety alerts?
    Step(
        "stop_which",
        "prompt.stop_which",
        Expect.CHOICE,
        accept_choice,
        field=False,
        choices=(
            ChoiceSpec("pause", "choice.stop_complaint"),
            ChoiceSpec("alerts", "choice.stop_alerts"),
        ),
        next=(
            Transition("menu", choice="pause", say="say.complaint_paused"),
            Transition(
                PAUSED,
                choice="alerts",
                effect=Effect.UNSUBSCRIBE,
                say="say.unsubscribed",
                how="stop_word",
            ),
        ),
    ),
    Step(
        "cancel_confirm",
        "prompt.cancel_confirm",
        Expect.CHOICE,
        accept_choice,
        field=False,
        choices=(ChoiceSpec("yes", "choice.yes_delete"), ChoiceSpec("no", "choice.no_keep")),
        next=(
            Transition(
                "category",
                choice="yes",
                guard=intent_restart,
                effect=Effect.DISCARD,
                say="say.discarded",
            ),
            Transition("menu", choice="yes", effect=Effect.DISCARD, say="say.discarded"),
            Transition(PAUSED, choice="no"),
        ),
    ),
)

# Steps the engine enters by itself: the first contact, the menu, a restart, the resume
# and cancel questions, an operator's /broadcast, the card of a pasted payment message.
# Everything else is reached from these.
LANGUAGE, MENU, CATEGORY = "language", "menu", "category"
RESUME, CANCEL_CONFIRM, BROADCAST = "resume", "cancel_confirm", "broadcast_en"
PAYMENT_CARD, NEW_CONFIRM, STOP_WHICH = "payment_card", "new_confirm", "stop_which"
FLOW = Flow(
    STEPS,
    entries=(
        LANGUAGE,
        MENU,
        CATEGORY,
        RESUME,
        CANCEL_CONFIRM,
        BROADCAST,
        PAYMENT_CARD,
        NEW_CONFIRM,
        STOP_WHICH,
    ),
)
