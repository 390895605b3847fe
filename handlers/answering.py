"""Answering the current step: screen what cannot be an answer at all, turn typed labels
into button presses, let the step's acceptor check and store it, then take the
transition the flow declares."""

from __future__ import annotations

from bot.domain.conversation import Conversation, Unconfirmed
from bot.domain.errors import UnsureReading, ValidationError
from bot.domain.messages import (
    Attachment,
    ChoicePressed,
    Confirmed,
    ContactShared,
    FileNotKept,
    Payload,
    Text,
    Unsupported,
)
from bot.domain.parsing.replies import Reply, read_reply
from bot.domain.parsing.secrets import SecretKind, detect_secret
from bot.domain.parsing.sms import read_payment_texts
from bot.domain.payments import MessageKind
from handlers import readings
from handlers.flow import (
    CANCEL_CONFIRM,
    FLOW,
    PAYMENT_CARD,
    RESUME,
    RETURN,
)
from handlers.moves import enter, error_reply, reprompt, t_of
from handlers.payment_card import card_worthy
from handlers.prompts import (
    choices_for,
    match_choice,
)
from handlers.screenshot import has_room, is_screenshot, take_screenshot
from handlers.spec import Context, Expect, Outcome, Step, Transition

# Shorter texts are answers, not a bank's message (the shortest SMS we read is longer).
MIN_MESSAGE_LENGTH = 40


def answer(out: Outcome, payload: Payload, ctx: Context) -> None:
    s = out.state
    step = FLOW[s.step]
    if s.unsure is not None:
        settled = _settle_unsure(out, payload)
        if settled is None:
            return
        payload = settled
    if step.reads_payments and isinstance(payload, Text) and offer_card(out, payload.text, ctx):
        return
    if step.reads_payments and is_screenshot(payload) and has_room(s):
        take_screenshot(out, payload, ctx)
        return
    problem = _screen(payload, step)
    if problem is not None:
        out.replies.append(error_reply(s, problem))
        reprompt(out)
        return
    payload = match_choice(payload, step, s)
    if isinstance(payload, Text) and read_reply(payload.text) is Reply.DONT_KNOW:
        if not step.skippable:
            out.replies.append(error_reply(s, step.dont_know))
            reprompt(out)
            return
        offered = {choice.id for choice in choices_for(step, s, t_of(s))}
        payload = ChoicePressed("done" if "done" in offered else "skip")
    if isinstance(payload, ChoicePressed) and not _offered(payload.choice_id, step, s):
        # A button of an older question, or an id no button ever had (forged, garbled):
        # unknown input, answered with the question, never an error.
        out.replies.append(error_reply(s, "error.pick_button"))
        reprompt(out)
        return
    _accept(out, step, payload, ctx)


def _accept(out: Outcome, step: Step, payload: Payload, ctx: Context) -> None:
    s = out.state
    working = s.clone()
    try:
        step.accept(working, payload, ctx)
    except ValidationError as error:
        out.replies.append(error_reply(s, error.msgid, **error.params))
        reprompt(out)
        return
    except UnsureReading as unsure:
        # Shown back as it was read; stored only after a tap (see handlers.readings).
        s.unsure = Unconfirmed(step=s.step, kind=unsure.kind, value=unsure.value, why=unsure.why)
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


def _settle_unsure(out: Outcome, payload: Payload) -> Payload | None:
    """The answer to "I read ₹75,000 — is that right?": yes is the reading, confirmed; no
    asks the question again; anything else is a new answer to the question. None when
    nothing is left to do."""
    s = out.state
    unsure, s.unsure = s.unsure, None
    if unsure is None:
        return payload
    if unsure.step != s.step:
        # "Continue or start again?" and "Delete it?" come back to the question: the
        # reading waits there. Anywhere else the person has moved on without it.
        if s.step in (RESUME, CANCEL_CONFIRM):
            s.unsure = unsure
        return payload
    pressed = payload.choice_id if isinstance(payload, ChoicePressed) else None
    reply = read_reply(payload.text) if isinstance(payload, Text) else None
    if pressed == readings.YES or reply is Reply.YES:
        return Confirmed(unsure.value)
    if pressed == readings.NO or reply is Reply.NO:
        out.replies.append(error_reply(s, "say.type_again"))
        reprompt(out)
        return None
    return payload


def offer_card(out: Outcome, text: str, ctx: Context) -> bool:
    """A pasted bank SMS or app notification: its debits on a card (True), an OTP SMS
    warned about and forgotten, a credit or an advertisement named as such. False when
    the text holds no such message and is an ordinary answer."""
    if len(text) < MIN_MESSAGE_LENGTH:
        return False
    payments = read_payment_texts(text, ctx.now)
    s = out.state
    kinds = {payment.kind for payment in payments}
    debits = [payment for payment in payments if card_worthy(payment)]
    if MessageKind.OTP in kinds:
        out.replies.append(error_reply(s, "warning.secret.otp"))
    elif debits:
        s.read_payments, s.card_source, s.card_from = debits, "sms", s.step
        enter(out, Transition(PAYMENT_CARD), ctx)
        return True
    elif MessageKind.CREDIT in kinds and not any(p.kind is MessageKind.DEBIT for p in payments):
        out.replies.append(error_reply(s, "say.sms_credit"))
    elif MessageKind.PROMOTION in kinds:
        out.replies.append(error_reply(s, "say.sms_promotion"))
    else:
        return False
    reprompt(out)
    return True


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
