"""The engine: one inbound message and the current state in, replies and a new state out.

`handle` is pure: the caller's state is never modified, every effect that touches the
outside world is returned as an `Event`, and time and reference numbers come from the
`Context`. Global words (help, back, cancel, restart, skip, language, status) work at
every step; everything else is interpreted by the current step of the declared flow.
"""

from __future__ import annotations

from bot.domain.conversation import Conversation
from bot.domain.messages import (
    Inbound,
    Outbound,
    TextReply,
)
from handlers.answering import answer
from handlers.details import MAX_EVIDENCE_FILES
from handlers.first_words import hold, use_held, was_held
from handlers.flow import (
    FLOW,
    LANGUAGE,
    MENU,
)
from handlers.moves import enter, error_reply, has_unfinished, offer_resume, reprompt, t_of
from handlers.prompts import (
    Intent,
    detect_language,
    prompt_for,
    read_intent,
    script_language,
)
from handlers.questions import answer_question, question_in
from handlers.screenshot import is_image
from handlers.spec import Context, Expect, Outcome, Transition
from handlers.words import run_intent


def handle(inbound: Inbound, state: Conversation, ctx: Context) -> Outcome:
    out = Outcome(state=state.clone())
    s = out.state
    if s.last_activity is None or _is_stale(s, ctx):
        s.visit_started_at = ctx.now
    if inbound.sender_phone:
        s.phone_hint = inbound.sender_phone
    if s.step not in FLOW:
        _first_contact(out, inbound, ctx)
    elif _is_stale(s, ctx) and has_unfinished(s):
        question = question_in(inbound.payload, s.step)
        if question is not None:  # asked on coming back: answered, then the question
            answer_question(out, question, ctx)
        elif not _continue_after_pause(out, inbound, ctx):
            offer_resume(out, ctx)
    else:
        intent = read_intent(inbound.payload)
        if s.step == LANGUAGE and (intent is None or intent.name == "start"):
            if intent is None:
                hold(out, inbound.payload)  # read once the language is known
            # "नमस्ते" or "मेरे पैसे कट गए" in reply to "which language?" answers it.
            hinted = script_language(inbound.payload)
            intent = Intent("language", hinted.value) if hinted is not None else intent
        if intent is not None:
            run_intent(out, intent, ctx)
        elif (question := question_in(inbound.payload, s.step)) is not None:
            answer_question(out, question, ctx)
        elif s.step == LANGUAGE and was_held(inbound.payload, s):
            out.replies.append(error_reply(s, "say.message_kept"))
            reprompt(out)
        else:
            answer(out, inbound.payload, ctx)
    if out.state.held_text is not None or out.state.held_screenshot:
        use_held(out, ctx)
    out.state.last_activity = ctx.now
    return out


def current_prompt(state: Conversation) -> Outbound:
    """The current step's question, as it was last asked."""
    return prompt_for(FLOW[state.step], state, t_of(state))


def takes_files(state: Conversation, mime_type: str) -> bool:
    """The person's current step keeps a file of this (claimed) type, and has room for
    one: anything the evidence step takes, or a picture where payments are read."""
    step = FLOW.get(state.step)
    if step is None or len(state.draft.evidence) >= MAX_EVIDENCE_FILES:
        return False
    return step.expects is Expect.MEDIA or (reads_screenshots(state) and is_image(mime_type))


def reads_screenshots(state: Conversation | None) -> bool:
    """Whether a picture sent now is read for the payment it shows: as the first message
    (None: no conversation yet), while the language is asked, or at a money-trail step."""
    if state is None or state.step not in FLOW or state.step == LANGUAGE:
        return True
    return FLOW[state.step].reads_payments


def _first_contact(out: Outcome, inbound: Inbound, ctx: Context) -> None:
    s = out.state
    language = detect_language(inbound)
    if read_intent(inbound.payload) is None:
        hold(out, inbound.payload)  # what happened, or the bank's SMS: read, not lost
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
        run_intent(out, intent, ctx)
        return
    enter(out, Transition(MENU, say="say.welcome"), ctx)


def _continue_after_pause(out: Outcome, inbound: Inbound, ctx: Context) -> bool:
    """After a pause, a message that answers the question they were on is that answer
    (often the UTR they went to find), with a word that the complaint goes on; only a
    message that does not fit gets "continue or start again?"."""
    s = out.state
    payload = inbound.payload
    if not s.in_complaint() or read_intent(payload) is not None:
        return False
    trial = Outcome(state=s.clone())
    answer(trial, payload, ctx)
    after = trial.state
    if after.step == s.step and after.unsure is None and after.draft == s.draft:
        return False  # refused: it was not an answer to this question
    out.state, out.events = after, trial.events
    out.replies = [TextReply(t_of(after)("say.continuing")), *trial.replies]
    return True


def _is_stale(s: Conversation, ctx: Context) -> bool:
    return s.last_activity is not None and ctx.now - s.last_activity > ctx.resume_after
