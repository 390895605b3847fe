"""The engine: one inbound message and the current state in, replies and a new state out.

`handle` is pure: the caller's state is never modified, every effect that touches the
outside world is returned as an `Event`, and time and reference numbers come from the
`Context`. Global words (help, back, cancel, restart, skip, language, status) work at
every step; everything else is interpreted by the current step of the declared flow.
"""

from __future__ import annotations

from bot.domain.complaint import Draft
from bot.domain.conversation import Conversation
from bot.domain.errors import ValidationError
from bot.domain.i18n import Translator, translator
from bot.domain.messages import (
    Attachment,
    ChoicePressed,
    ContactShared,
    Inbound,
    Language,
    Outbound,
    Payload,
    Text,
    TextReply,
    Unsupported,
)
from bot.domain.parsing.secrets import SecretKind, detect_secret
from bot.domain.reference import normalize_reference
from handlers.flow import (
    BROADCAST,
    CANCEL_CONFIRM,
    CATEGORY,
    FLOW,
    LANGUAGE,
    MENU,
    PAUSED,
    RESUME,
    RETURN,
)
from handlers.prompts import (
    Intent,
    choices_for,
    detect_language,
    match_choice,
    prompt_for,
    read_intent,
    script_language,
)
from handlers.render import say_status, status_line
from handlers.spec import Context, Effect, Event, Expect, Outcome, Step, Transition

_NO_RESUME_STEPS = {RESUME, CANCEL_CONFIRM, LANGUAGE, "start"}
_BARRIER_EFFECTS = {Effect.REGISTER, Effect.SUBMIT, Effect.DISCARD}
_NO_HISTORY_STEPS = _NO_RESUME_STEPS | {"edit", "tx_edit", MENU, "awareness"}


def handle(inbound: Inbound, state: Conversation, ctx: Context) -> Outcome:
    out = Outcome(state=state.model_copy(deep=True))
    s = out.state
    if inbound.sender_phone:
        s.phone_hint = inbound.sender_phone
    if s.step not in FLOW:
        _first_contact(out, inbound, ctx)
    elif _is_stale(s, ctx) and _has_unfinished(s):
        _offer_resume(out, ctx)
    else:
        intent = read_intent(inbound.payload)
        if s.step == LANGUAGE and (intent is None or intent.name == "start"):
            # "नमस्ते" or "मेरे पैसे कट गए" in reply to "which language?" answers it.
            hinted = script_language(inbound.payload)
            intent = Intent("language", hinted.value) if hinted is not None else intent
        if intent is not None:
            _run_intent(out, intent, ctx)
        else:
            _answer(out, inbound.payload, ctx)
    out.state.last_activity = ctx.now
    return out


def current_prompt(state: Conversation) -> Outbound:
    """The current step's question, as it was last asked."""
    return prompt_for(FLOW[state.step], state, t_of(state))


def t_of(state: Conversation) -> Translator:
    return translator(state.language or Language.HI)


def _first_contact(out: Outcome, inbound: Inbound, ctx: Context) -> None:
    s = out.state
    language = detect_language(inbound)
    if language is None:
        s.step = LANGUAGE
        out.replies.append(prompt_for(FLOW[LANGUAGE], s, t_of(s)))
        return
    s.language = language
    intent = read_intent(inbound.payload)
    if intent is not None and intent.name not in {"start", "language"}:
        # Someone whose app tells us their language and who starts with a question
        # (/status REF, /help) gets the answer, not a greeting that ignores it.
        s.step = MENU
        _run_intent(out, intent, ctx)
        return
    _enter(out, Transition(MENU, say="say.welcome"), ctx)


def _is_stale(s: Conversation, ctx: Context) -> bool:
    return s.last_activity is not None and ctx.now - s.last_activity > ctx.resume_after


def _has_unfinished(s: Conversation) -> bool:
    if s.step in _NO_RESUME_STEPS:
        return False
    return (s.in_complaint() and s.draft.has_answers()) or (
        s.step == MENU and s.reference is not None
    )


def _offer_resume(out: Outcome, ctx: Context) -> None:
    s = out.state
    if s.step != MENU:
        s.paused_step = s.step
    s.paused_step = s.paused_step or "summary"
    s.step = RESUME
    out.replies.append(prompt_for(FLOW[RESUME], s, t_of(s)))


# --- global words -----------------------------------------------------------------------


def _run_intent(out: Outcome, intent: Intent, ctx: Context) -> None:
    s = out.state
    t = t_of(s)
    step = FLOW[s.step]
    match intent.name:
        case "language":
            s.language = Language(intent.argument) if intent.argument else _other_language(s)
            if s.step == LANGUAGE:
                _enter(out, Transition(MENU, say="say.welcome"), ctx)
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
                _answer(out, ChoicePressed("done" if "done" in offered else "skip"), ctx)
                return
            out.replies.append(TextReply(t("error.not_skippable")))
        case "back":
            _go_back(out, ctx)
            return
        case "subscribe" | "unsubscribe":
            effect = Effect.SUBSCRIBE if intent.name == "subscribe" else Effect.UNSUBSCRIBE
            _apply_effect(out, effect, ctx, how="command")
            out.replies.append(TextReply(t(f"say.{intent.name}d")))
        case "cancel" | "restart":
            _cancel(out, intent.name, ctx)
            return
        case "broadcast" if ctx.operator:
            _enter(out, Transition(BROADCAST), ctx)
            return
        case "start":
            if s.language is None:  # still at "which language?": ask it again
                _reprompt(out)
                return
            if _has_unfinished(s):
                _offer_resume(out, ctx)
                return
            _enter(out, Transition(MENU, say="say.welcome"), ctx)
            return
        case _:
            out.replies.append(TextReply(t("error.unknown_command")))
    _reprompt(out)


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
        out.replies.append(TextReply(t_of(s)("say.nothing_back")))
        _reprompt(out)
        return
    draft = s.draft
    if FLOW[target].group == "debit" and draft.pending_tx is None and draft.transactions:
        draft.editing_tx = len(draft.transactions) - 1
        draft.pending_tx = draft.transactions[-1].model_copy(deep=True)
    s.step = target
    _reprompt(out)


def _cancel(out: Outcome, intent: str, ctx: Context) -> None:
    s = out.state
    if s.reference is not None and s.in_complaint():
        s.paused_step = s.step
        s.return_to = None
        s.history.clear()
        if intent == "restart":
            _enter(out, Transition(CATEGORY, effect=Effect.DISCARD), ctx)
            return
        _enter(out, Transition(MENU, say="say.left_registered"), ctx)
        return
    if s.in_complaint() and s.draft.has_answers():
        s.paused_step = s.step
        s.pending_intent = intent
        s.step = CANCEL_CONFIRM
        _reprompt(out)
        return
    target = CATEGORY if intent == "restart" else MENU
    _enter(out, Transition(target, effect=Effect.DISCARD), ctx)


# --- answering the current step -----------------------------------------------------------


def _answer(out: Outcome, payload: Payload, ctx: Context) -> None:
    s = out.state
    step = FLOW[s.step]
    problem = _screen(payload, step)
    if problem is not None:
        out.replies.append(_error(s, problem))
        _reprompt(out)
        return
    payload = match_choice(payload, step, s)
    working = s.model_copy(deep=True)
    try:
        step.accept(working, payload, ctx)
    except ValidationError as error:
        out.replies.append(_error(s, error.msgid, **error.params))
        _reprompt(out)
        return
    out.state = working
    pressed = payload.choice_id.split(":", 1)[0] if isinstance(payload, ChoicePressed) else None
    transition = _pick_transition(step, pressed, working)
    if transition is None:
        out.replies.append(_error(s, "error.pick_button"))
        _reprompt(out)
        return
    if working.return_to is not None and step.field:
        target_group = FLOW[transition.target].group if transition.target in FLOW else None
        if step.group is None or target_group != step.group:
            transition = Transition(RETURN, say=transition.say, effect=transition.effect)
    _enter(out, transition, ctx)


def _screen(payload: Payload, step: Step) -> str | None:
    """Catalog id of the reason a message cannot be an answer at all, or None."""
    if isinstance(payload, Unsupported):
        return "error.unsupported"
    if isinstance(payload, Text):
        if len(payload.text) > step.max_length:
            return "error.too_long"
        secret = detect_secret(payload.text) if step.screen_secrets else None
        # A fraudster's account number may look like a card number (Luhn-valid by
        # chance); where account numbers are asked for, only keyword secrets count.
        if secret is not None and not (
            secret is SecretKind.CARD_NUMBER and step.group == "suspect"
        ):
            return f"warning.secret.{secret.value}"
        if not payload.text.strip():
            return "error.empty"
    if isinstance(payload, Attachment) and step.expects is not Expect.MEDIA:
        return "error.file_not_now"
    if isinstance(payload, ContactShared) and not (
        step.expects is Expect.PHONE or step.group == "suspect"
    ):
        return "error.contact_not_now"
    return None


def _error(s: Conversation, msgid: str, **params: object) -> TextReply:
    """What went wrong, in the person's language; in both while we do not know it yet."""
    if s.language is not None:
        return TextReply(t_of(s)(msgid, **params))
    both = (translator(language)(msgid, **params) for language in (Language.HI, Language.EN))
    return TextReply("\n".join(both))


def _pick_transition(step: Step, pressed: str | None, s: Conversation) -> Transition | None:
    for transition in step.next:
        if transition.choice is not None and transition.choice != pressed:
            continue
        if transition.guard is not None and not transition.guard(s):
            continue
        return transition
    return None


def _enter(out: Outcome, transition: Transition, ctx: Context) -> None:
    """Takes a transition: effect, then what is said on the way, then the next prompt."""
    s = out.state
    came_from = s.step
    if transition.remember:
        s.return_to = came_from
    _apply_effect(out, transition.effect, ctx, how=transition.how)
    target = transition.target
    if target == RETURN:
        target, s.return_to = s.return_to or MENU, None
    elif target == PAUSED:
        target, s.paused_step = s.paused_step or MENU, None
    say = transition.say
    if say is not None:
        t = t_of(s)
        out.replies.append(TextReply(t(say) if isinstance(say, str) else say(s, t, ctx)))
    if transition.effect is Effect.SUBMIT:
        _reset_complaint(s)
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
    _reprompt(out)


def _apply_effect(out: Outcome, effect: Effect | None, ctx: Context, how: str = "menu") -> None:
    s = out.state
    match effect:
        case Effect.REGISTER:
            s.reference = ctx.new_reference()
            out.events.append(Event(Effect.REGISTER, snapshot=s.model_copy(deep=True)))
        case Effect.SUBMIT:
            out.events.append(Event(Effect.SUBMIT, snapshot=s.model_copy(deep=True)))
        case Effect.DISCARD:
            _reset_complaint(s)
        case Effect.SUBSCRIBE | Effect.UNSUBSCRIBE:
            s.subscribed = effect is Effect.SUBSCRIBE
            out.events.append(Event(effect, how=how))
        case Effect.BROADCAST:
            out.events.append(Event(Effect.BROADCAST, snapshot=s.model_copy(deep=True)))
            s.broadcast_en = s.broadcast_hi = None
        case _:
            pass


def _reset_complaint(s: Conversation) -> None:
    s.draft = Draft()
    s.reference = None
    s.history.clear()
    s.return_to = None
    s.paused_step = None
    s.pending_intent = None


def _reprompt(out: Outcome) -> None:
    s = out.state
    out.replies.append(prompt_for(FLOW[s.step], s, t_of(s)))
