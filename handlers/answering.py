"""Answering the current step: screen what cannot be an answer at all, turn typed labels
into button presses, let the step's acceptor check and store it, then take the
transition the flow declares."""

from __future__ import annotations

from bot.domain.conversation import Conversation
from bot.domain.errors import ValidationError
from bot.domain.messages import (
    Attachment,
    ChoicePressed,
    ContactShared,
    FileNotKept,
    Payload,
    Text,
    Unsupported,
)
from bot.domain.parsing.secrets import SecretKind, detect_secret
from handlers.flow import (
    FLOW,
    RETURN,
)
from handlers.moves import enter, error_reply, reprompt, t_of
from handlers.prompts import (
    choices_for,
    match_choice,
)
from handlers.spec import Context, Expect, Outcome, Step, Transition


def answer(out: Outcome, payload: Payload, ctx: Context) -> None:
    s = out.state
    step = FLOW[s.step]
    problem = _screen(payload, step)
    if problem is not None:
        out.replies.append(error_reply(s, problem))
        reprompt(out)
        return
    payload = match_choice(payload, step, s)
    if isinstance(payload, ChoicePressed) and not _offered(payload.choice_id, step, s):
        # A button of an older question, or an id no button ever had (forged, garbled):
        # unknown input, answered with the question, never an error.
        out.replies.append(error_reply(s, "error.pick_button"))
        reprompt(out)
        return
    working = s.clone()
    try:
        step.accept(working, payload, ctx)
    except ValidationError as error:
        out.replies.append(error_reply(s, error.msgid, **error.params))
        reprompt(out)
        return
    out.state = working
    pressed = payload.choice_id.split(":", 1)[0] if isinstance(payload, ChoicePressed) else None
    transition = _pick_transition(step, pressed, working)
    if transition is None:
        out.replies.append(error_reply(s, "error.pick_button"))
        reprompt(out)
        return
    if working.return_to is not None and step.field:
        target_group = FLOW[transition.target].group if transition.target in FLOW else None
        if step.group is None or target_group != step.group:
            transition = Transition(RETURN, say=transition.say, effect=transition.effect)
    enter(out, transition, ctx)


def _offered(choice_id: str, step: Step, s: Conversation) -> bool:
    """Whether the current question shows a button with this id right now."""
    return choice_id in {choice.id for choice in choices_for(step, s, t_of(s))} or (
        step.skippable and choice_id in {"skip", "done"}
    )


def _screen(payload: Payload, step: Step) -> str | None:
    """Catalog id of the reason a message cannot be an answer at all, or None."""
    if isinstance(payload, Unsupported):
        return "error.unsupported"
    if isinstance(payload, FileNotKept):
        return f"error.file.{payload.problem.value}"
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


def _pick_transition(step: Step, pressed: str | None, s: Conversation) -> Transition | None:
    for transition in step.next:
        if transition.choice is not None and transition.choice != pressed:
            continue
        if transition.guard is not None and not transition.guard(s):
            continue
        return transition
    return None
