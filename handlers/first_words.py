"""The first words a person sends, used instead of lost.

A frightened person often starts with what happened ("mere account se 5000 kat gaye") or
pastes the bank's SMS or sends a payment screenshot before we have even asked which
language they want. That message is kept while the language is asked (`hold`), then read
once the language is known (`use_held`): a payment message or screenshot becomes the
payment card; a category goes to the category question (stored if read surely, confirmed
with one tap if not); an amount is offered as a one-tap answer at the amount question;
anything else starts the report, as free text at the menu does. Nothing is stored from
these words without the person seeing it.
"""

from __future__ import annotations

from contextlib import suppress

from bot.domain.conversation import Conversation, Unconfirmed
from bot.domain.errors import ValidationError
from bot.domain.messages import ChoicePressed, Payload, Text
from bot.domain.parsing.amount_reading import read_amount
from bot.domain.parsing.categories import read_category
from bot.domain.parsing.questions import read_question
from handlers.answering import answer, offer_card
from handlers.flow import CATEGORY, FLOW, MENU
from handlers.moves import enter, reprompt, t_of
from handlers.prompts import prompt_for
from handlers.questions import answer_question
from handlers.readings import CATEGORY as CATEGORY_READING
from handlers.screenshot import has_room, hold_screenshot, is_screenshot, use_held_screenshot
from handlers.spec import Context, Outcome, Transition

MAX_HELD_CHARACTERS = 6000  # several pasted SMS; longer is not a first message


def hold(out: Outcome, payload: Payload) -> None:
    """Keeps a text or a payment screenshot sent while the language is still being asked."""
    if isinstance(payload, Text) and 0 < len(payload.text.strip()) <= MAX_HELD_CHARACTERS:
        out.state.held_text = payload.text
    elif is_screenshot(payload) and has_room(out.state):
        hold_screenshot(out.state, payload)


def was_held(payload: Payload, state: Conversation) -> bool:
    """This message was kept for later (the person is told so, not asked to choose)."""
    if isinstance(payload, Text):
        return state.held_text is not None
    return is_screenshot(payload) and state.held_screenshot


def use_held(out: Outcome, ctx: Context) -> None:
    """Reads the kept words once the menu has been shown in the chosen language."""
    s = out.state
    if s.step != MENU or s.language is None:
        return  # still asking the language: kept for later
    menu_prompt = prompt_for(FLOW[MENU], s, t_of(s))
    shown = len(out.replies)
    if s.held_screenshot:  # a screenshot says more than words sent beside it
        s.held_text = None
        _drop(out, menu_prompt, before=shown)
        use_held_screenshot(out, ctx)
        return
    text, s.held_text = s.held_text, None
    if text is None:
        return
    question = read_question(text)
    if question is not None:  # "kya paisa wapas milega?" before anything else: answered
        _drop(out, menu_prompt, before=shown)
        answer_question(out, question, ctx)
        return
    if offer_card(out, text, ctx):
        _drop(out, menu_prompt, before=shown)
        return
    with suppress(ValidationError):  # no amount in the words: nothing to offer
        s.hints["amount"] = str(read_amount(text).value)
    category = read_category(text)
    # Not a greeting (those are words the engine knows): what happened, so the report
    # starts, as free text at the menu does.
    _drop(out, menu_prompt, before=shown)
    if category is None:
        enter(out, Transition(CATEGORY), ctx)
    elif category.sure:
        s.step = CATEGORY
        answer(out, ChoicePressed(category.value), ctx)
    else:
        s.step = CATEGORY
        s.unsure = Unconfirmed(
            step=CATEGORY, kind=CATEGORY_READING, value=category.value, why=category.why
        )
        reprompt(out)


def _drop(out: Outcome, menu_prompt: object, *, before: int) -> None:
    """Removes the menu question shown just before: the person's words answered it."""
    index = before - 1
    if 0 <= index < len(out.replies) and out.replies[index] == menu_prompt:
        del out.replies[index]
