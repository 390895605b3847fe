"""Global words: help, back, skip, cancel, restart, status, language, subscribe and
unsubscribe work at every step, whatever the step asks for."""

from __future__ import annotations

from bot.domain.conversation import Conversation
from bot.domain.i18n import Translator
from bot.domain.messages import (
    ChoicePressed,
    Language,
    TextReply,
)
from bot.domain.reference import normalize_reference
from handlers.answering import answer
from handlers.flow import (
    BROADCAST,
    CANCEL_CONFIRM,
    CATEGORY,
    FLOW,
    LANGUAGE,
    MENU,
    NEW_CONFIRM,
    STOP_WHICH,
)
from handlers.moves import (
    apply_effect,
    enter,
    has_unfinished,
    offer_resume,
    reprompt,
    t_of,
)
from handlers.prompts import (
    Intent,
    choices_for,
)
from handlers.render import say_status, status_line
from handlers.spec import Context, Effect, Outcome, Transition


def run_intent(out: Outcome, intent: Intent, ctx: Context) -> None:
    s = out.state
    t = t_of(s)
    step = FLOW[s.step]
    match intent.name:
        case "language":
            s.language = Language(intent.argument) if intent.argument else _other_language(s)
            if s.step == LANGUAGE:
                enter(out, Transition(MENU, say="say.welcome"), ctx)
                return
            out.replies.append(TextReply(t_of(s)("say.language_switched")))
        case "help":
            out.replies.append(TextReply(t(step.help)))
        case "status":
            out.replies.append(TextReply(_status_answer(s, t, intent.argument, ctx)))
        case "skip":
            if step.skippable:
                # On a list step ("add another, or Done") skipping is pressing Done.
                offered = {choice.id for choice in choices_for(step, s, t)}
                answer(out, ChoicePressed("done" if "done" in offered else "skip"), ctx)
                return
            out.replies.append(TextReply(t("error.not_skippable")))
        case "back":
            _go_back(out, ctx)
            return
        case "stop" if s.in_complaint():
            # "stop" in the middle of a complaint: this complaint, or the safety alerts?
            s.paused_step = s.step
            enter(out, Transition(STOP_WHICH), ctx)
            return
        case "stop" | "subscribe" | "unsubscribe":
            name = "unsubscribe" if intent.name == "stop" else intent.name
            effect = Effect.SUBSCRIBE if name == "subscribe" else Effect.UNSUBSCRIBE
            apply_effect(out, effect, ctx, how="command")
            out.replies.append(TextReply(t(f"say.{name}d")))
        case "cancel" | "restart":
            _cancel(out, intent.name, ctx)
            return
        case "broadcast" if ctx.operator:
            enter(out, Transition(BROADCAST), ctx)
            return
        case "start":
            if s.language is None or s.in_complaint():
                # Still at "which language?", or a greeting in the middle of a complaint:
                # they never left, so the question again, not "welcome back".
                reprompt(out)
                return
            if has_unfinished(s):
                offer_resume(out, ctx)
                return
            enter(out, Transition(MENU, say="say.welcome"), ctx)
            return
        case _:
            out.replies.append(TextReply(t("error.unknown_command")))
    reprompt(out)


def _other_language(s: Conversation) -> Language:
    return Language.EN if s.language == Language.HI else Language.HI


def _status_answer(s: Conversation, t: Translator, typed: str, ctx: Context) -> str:
    if not typed.strip():
        return say_status(s, t, ctx)
    reference = normalize_reference(typed)
    if reference is None:
        return t("status.bad_reference")
    own = [c for c in ctx.complaints_of_user() if c.reference == reference]
    if not own:
        return t("status.not_found")
    return status_line("status.detail", own[0], t)


def _go_back(out: Outcome, ctx: Context) -> None:
    s = out.state
    if s.return_to is not None:
        target = s.return_to
        s.return_to = None
        s.draft.pending_tx = None
        s.draft.editing_tx = None
    elif s.history:
        target = s.history.pop()
    else:
        # Nothing before: the first question, or the first after registration (a barrier).
        registered = s.reference is not None and s.in_complaint()
        msgid = "say.nothing_back.registered" if registered else "say.nothing_back"
        out.replies.append(TextReply(t_of(s)(msgid)))
        reprompt(out)
        return
    draft = s.draft
    if FLOW[target].group == "debit" and draft.pending_tx is None and draft.transactions:
        draft.editing_tx = len(draft.transactions) - 1
        draft.pending_tx = draft.transactions[-1].model_copy(deep=True)
    s.step = target
    reprompt(out)


def _cancel(out: Outcome, intent: str, ctx: Context) -> None:
    s = out.state
    if s.reference is not None and intent == "restart":
        # A registered complaint is never left behind without a word: ask first.
        if s.in_complaint():
            s.paused_step = s.step
        s.return_to = None
        s.history.clear()
        enter(out, Transition(NEW_CONFIRM), ctx)
        return
    if s.reference is not None and s.in_complaint():
        s.paused_step = s.step
        s.return_to = None
        s.history.clear()
        enter(out, Transition(MENU, say="say.left_registered"), ctx)
        return
    if s.in_complaint() and s.draft.has_answers():
        s.paused_step = s.step
        s.pending_intent = intent
        s.step = CANCEL_CONFIRM
        reprompt(out)
        return
    target = CATEGORY if intent == "restart" else MENU
    enter(out, Transition(target, effect=Effect.DISCARD), ctx)
