"""Questions asked in the middle of a complaint, answered, then the question asked again.

A victim who asks "kya paisa wapas milega?" at the amount question must get an honest
answer, not "please choose one of the options". The questions are recognised by
`bot.domain.parsing.questions` (which keeps answers from being taken for questions); the
answers are catalog messages (`answer.<question>`), short and true to how reporting
works (the hold, 1930, the portal). "Talk to a person" is also written down for the
police desk. The step's own question follows, shortened when it is a long summary.
"""

from __future__ import annotations

from bot.domain.messages import ChoicePrompt, Payload, Text, TextReply
from bot.domain.parsing.questions import Question, read_question
from handlers.flow import FLOW, LANGUAGE
from handlers.moves import t_of
from handlers.prompts import choices_for, prompt_for
from handlers.render import say_status
from handlers.spec import Context, Effect, Event, Outcome

# The step where the person writes their own account: a question there must be short.
NARRATIVE_STEPS = frozenset({"description"})
# A question asked again after an answer is shortened when it is longer than this
# (the summaries before registering run to a screenful).
MAX_REPEATED_PROMPT = 350


def question_in(payload: Payload, step: str) -> Question | None:
    """The question a message asks at `step`; None for answers and where questions are
    not read (the language question, an operator writing a broadcast)."""
    if not isinstance(payload, Text) or step == LANGUAGE or step.startswith("broadcast"):
        return None
    return read_question(payload.text, narrative=step in NARRATIVE_STEPS)


def answer_question(out: Outcome, question: Question, ctx: Context) -> None:
    s = out.state
    t = t_of(s)
    if question is Question.STATUS:
        text = say_status(s, t, ctx)
    elif question is Question.PERSON:
        text = t("answer.person")
        if ctx.helpdesk_phone:
            text += "\n" + t("answer.person.helpdesk", phone=ctx.helpdesk_phone)
            if ctx.helpdesk_hours:
                text += " " + t("answer.person.hours", hours=ctx.helpdesk_hours)
        if s.reference is not None:
            text += "\n" + t("answer.person.noted")
        out.events.append(Event(Effect.PERSON_REQUEST, how=s.step, reference=s.reference))
    else:
        text = t(f"answer.{question.value}")
    out.replies.append(TextReply(text))
    ask_again(out)


def ask_again(out: Outcome) -> None:
    """The current question again; a long one (a summary) as a short line with its
    buttons, since the person has just read it."""
    s = out.state
    step = FLOW[s.step]
    prompt = prompt_for(step, s, t_of(s))
    if len(prompt.text) <= MAX_REPEATED_PROMPT or s.unsure is not None:
        out.replies.append(prompt)
        return
    t = t_of(s)
    choices = choices_for(step, s, t)
    short = t("say.question_again")
    out.replies.append(ChoicePrompt(short, choices) if choices else TextReply(short))
