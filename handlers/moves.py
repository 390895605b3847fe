"""The moves every part of the engine makes: enter a step (effect, what is said on the
way, the next question), ask the current question again, explain a mistake in the
person's language, offer to resume. Pure functions on the `Outcome` being built."""

from __future__ import annotations

from bot.domain.complaint import Draft
from bot.domain.conversation import Conversation
from bot.domain.i18n import Translator, translator
from bot.domain.messages import (
    Language,
    TextReply,
)
from handlers.flow import (
    CANCEL_CONFIRM,
    CARD_FROM,
    FLOW,
    LANGUAGE,
    MENU,
    PAUSED,
    RESUME,
    RETURN,
)
from handlers.prompts import (
    prompt_for,
)
from handlers.spec import Context, Effect, Event, Outcome, Transition

_NO_RESUME_STEPS = {RESUME, CANCEL_CONFIRM, LANGUAGE, "start", "new_confirm", "stop_which"}
_BARRIER_EFFECTS = {Effect.REGISTER, Effect.SUBMIT, Effect.DISCARD}
_NO_HISTORY_STEPS = _NO_RESUME_STEPS | {"edit", "tx_edit", MENU, "awareness"}


def t_of(state: Conversation) -> Translator:
    return translator(state.language or Language.HI)


def error_reply(s: Conversation, msgid: str, **params: object) -> TextReply:
    """What went wrong, in the person's language; in both while we do not know it yet."""
    if s.language is not None:
        return TextReply(t_of(s)(msgid, **params))
    both = (translator(language)(msgid, **params) for language in (Language.HI, Language.EN))
    return TextReply("\n".join(both))


def reprompt(out: Outcome) -> None:
    s = out.state
    out.replies.append(prompt_for(FLOW[s.step], s, t_of(s)))


def enter(out: Outcome, transition: Transition, ctx: Context) -> None:
    """Takes a transition: effect, then what is said on the way, then the next prompt."""
    s = out.state
    came_from = s.step
    if transition.remember:
        s.return_to = came_from
    apply_effect(out, transition.effect, ctx, how=transition.how)
    target = transition.target
    if target == RETURN:
        target, s.return_to = s.return_to or MENU, None
    elif target == PAUSED:
        target, s.paused_step = s.paused_step or MENU, None
    elif target == CARD_FROM:
        target, s.card_from = s.card_from or MENU, None
    say = transition.say
    if say is not None:
        t = t_of(s)
        out.replies.append(TextReply(t(say) if isinstance(say, str) else say(s, t, ctx)))
    if transition.effect is Effect.SUBMIT:
        reset_complaint(s)
    if target == MENU:
        s.history.clear()
        s.pending_intent = None
    elif came_from != target and came_from not in _NO_HISTORY_STEPS:
        s.history.append(came_from)
    if transition.effect in _BARRIER_EFFECTS:
        s.history.clear()  # a registered complaint is not un-registered by "back"
    s.step = target
    if FLOW[target].ask_once and target not in s.asked_once:
        s.asked_once.append(target)
    reprompt(out)


def apply_effect(out: Outcome, effect: Effect | None, ctx: Context, how: str = "menu") -> None:
    s = out.state
    match effect:
        case Effect.REGISTER:
            s.reference = ctx.new_reference()
            out.events.append(Event(Effect.REGISTER, snapshot=s.clone()))
        case Effect.SUBMIT:
            out.events.append(Event(Effect.SUBMIT, snapshot=s.clone()))
        case Effect.DISCARD:
            reset_complaint(s)
        case Effect.SUBSCRIBE | Effect.UNSUBSCRIBE:
            s.subscribed = effect is Effect.SUBSCRIBE
            out.events.append(Event(effect, how=how))
        case Effect.BROADCAST:
            out.events.append(Event(Effect.BROADCAST, snapshot=s.clone()))
            s.broadcast_en = s.broadcast_hi = None
        case _:
            pass


def reset_complaint(s: Conversation) -> None:
    s.draft = Draft()
    s.reference = None
    s.history.clear()
    s.return_to = None
    s.paused_step = None
    s.pending_intent = None


def has_unfinished(s: Conversation) -> bool:
    if s.step in _NO_RESUME_STEPS:
        return False
    # At the menu: a registered complaint not yet complete, or one they paused ("stop").
    return (s.in_complaint() and s.draft.has_answers()) or (
        s.step == MENU
        and (s.reference is not None or (s.paused_step is not None and s.draft.has_answers()))
    )


def offer_resume(out: Outcome, ctx: Context) -> None:
    s = out.state
    if s.step != MENU:
        s.paused_step = s.step
    s.paused_step = s.paused_step or "summary"
    s.step = RESUME
    out.replies.append(prompt_for(FLOW[RESUME], s, t_of(s)))
