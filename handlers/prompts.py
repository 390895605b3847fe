"""Reading what people type (global words, button labels, language) and rendering prompts.

People rarely press the button: they type "back", "पीछे", "2", "हिंदी" or the label they
see. This module turns such text into intents and choices so steps only see clean input.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot.domain.conversation import Conversation
from bot.domain.i18n import Translator, translator
from bot.domain.messages import (
    Choice,
    ChoicePressed,
    ChoicePrompt,
    Command,
    Inbound,
    Language,
    Outbound,
    Payload,
    PhoneRequest,
    Text,
    TextReply,
)
from bot.domain.parsing.digits import to_ascii_digits
from bot.domain.parsing.questions import status_number
from handlers.readings import confirmation_prompt
from handlers.spec import Expect, Step


@dataclass(frozen=True, slots=True)
class Intent:
    """A global word: works at every step, whatever the step asks for."""

    name: str
    argument: str = ""


_COMMAND_ALIASES = {
    "new": "restart",
    "report": "restart",
    "hindi": "language",
    "english": "language",
    "menu": "cancel",
}
_WORDS: dict[str, tuple[str, ...]] = {
    "help": ("help", "मदद", "सहायता", "हेल्प"),
    "back": ("back", "go back", "previous", "पीछे", "वापस", "पिछला"),
    "cancel": ("cancel", "रद्द", "रद्द करें", "कैंसिल"),
    "restart": ("restart", "start again", "start over", "फिर से शुरू", "दोबारा शुरू"),
    "skip": ("skip", "छोड़ें", "छोड़ो", "स्किप"),
    "status": (
        "status",
        "स्थिति",
        "स्टेटस",
        "complaint status",
        "my complaint",
        "meri complaint",
        "meri shikayat",
        "मेरी शिकायत",
        "शिकायत की स्थिति",
    ),
    # A greeting shows the welcome and menu (or offers to resume), never a step's error.
    "start": ("hi", "hello", "hey", "namaste", "namaskar", "नमस्ते", "नमस्कार", "start"),
    # Opting out of awareness messages must work anywhere, with the words people use.
    "unsubscribe": ("unsubscribe", "alerts off", "alert band", "अलर्ट बंद"),
    # "stop" mid-complaint may mean the complaint or the alerts: asked (handlers.words).
    "stop": ("stop", "बंद", "रोकें", "रोको", "band karo", "ruko", "bas karo", "बंद करो"),
}
_LANGUAGE_WORDS: dict[Language, tuple[str, ...]] = {
    Language.HI: ("hindi", "hindee", "हिंदी", "हिन्दी", "हिंदी में"),
    Language.EN: ("english", "angrezi", "inglish", "अंग्रेज़ी", "अंग्रेजी", "इंग्लिश", "in english"),
}
_CHOICE_ALIASES: dict[str, tuple[str, ...]] = {
    "yes": ("yes", "y", "haan", "ha", "हाँ", "हां", "जी हाँ"),
    "no": ("no", "n", "nahi", "नहीं", "ना"),
    "done": ("done", "finished", "हो गया", "बस", "पूरा"),
    "same": ("same", "same time", "वही", "वही समय"),
    "status": ("my complaint", "complaint status", "meri shikayat", "मेरी शिकायत"),
}


def fold(text: str) -> str:
    """Letters, marks and digits only, case-folded: how typed words are compared. An
    emoji's variation selector is a mark too, but no one types it: "⏸️ This complaint"
    and "this complaint" fold alike."""
    text = unicodedata.normalize("NFC", text).casefold().replace("\u093c", "")
    return "".join(
        ch for ch in text if unicodedata.category(ch)[0] in "LMN" and not "\ufe00" <= ch <= "\ufe0f"
    )


_WORD_INDEX = {fold(word): name for name, words in _WORDS.items() for word in words}
_LANGUAGE_INDEX = {fold(word): lang for lang, words in _LANGUAGE_WORDS.items() for word in words}
_LANGUAGE_CODES = {lang.value: lang for lang in Language}
_MAX_LANGUAGE_ANSWER_WORDS = 5


def read_intent(payload: Payload) -> Intent | None:
    if isinstance(payload, Command):
        name = _COMMAND_ALIASES.get(payload.name, payload.name)
        if payload.name in ("hindi", "english"):
            return Intent("language", "hi" if payload.name == "hindi" else "en")
        if name == "language":
            # "/language hi", "/language हिंदी"; anything else ("/language 0") switches.
            named = _LANGUAGE_INDEX.get(fold(payload.args)) or _LANGUAGE_CODES.get(
                payload.args.strip().lower()
            )
            return Intent(name, named.value if named else "")
        return Intent(name, payload.args)
    if not isinstance(payload, Text) or len(payload.text) > 40:
        return None
    typed_number = status_number(payload.text)
    if typed_number is not None:  # "status 2638 7525 2182" typed, not as /status
        return Intent("status", typed_number)
    folded = fold(payload.text)
    if folded in _LANGUAGE_INDEX:
        return Intent("language", _LANGUAGE_INDEX[folded].value)
    if folded in _WORD_INDEX:
        return Intent(_WORD_INDEX[folded])
    return None


def detect_language(inbound: Inbound) -> Language | None:
    """The language to greet in, when the platform or the first words tell it for sure.

    Script alone is not enough at first contact: many English readers greet with
    "नमस्ते", so they are asked, with a one-tap answer (`script_language` then helps).
    """
    payload = inbound.payload
    if isinstance(payload, Text):
        folded = fold(payload.text)
        if folded in _LANGUAGE_INDEX:
            return _LANGUAGE_INDEX[folded]
    code = (inbound.platform_language or "").split("-")[0].lower()
    return Language(code) if code in {lang.value for lang in Language} else None


def script_language(payload: Payload) -> Language | None:
    """The language an answer to "which language?" says: Hindi for Devanagari, or the
    one language a short answer names ("hindi me baat karo", "english please")."""
    if not isinstance(payload, Text):
        return None
    if any("\u0900" <= ch <= "\u097f" for ch in payload.text):
        return Language.HI
    words = payload.text.split()
    if len(words) > _MAX_LANGUAGE_ANSWER_WORDS:
        return None
    named = {_LANGUAGE_INDEX[fold(word)] for word in words if fold(word) in _LANGUAGE_INDEX}
    return named.pop() if len(named) == 1 else None


def choices_for(step: Step, state: Conversation, t: Translator) -> tuple[Choice, ...]:
    if callable(step.choices):
        choices = step.choices(state, t)
    else:
        choices = tuple(Choice(spec.id, t(spec.label)) for spec in step.choices)
    if step.skippable and not any(choice.id in {"skip", "done"} for choice in choices):
        choices += (Choice("skip", t("choice.skip")),)
    return choices


def prompt_for(step: Step, state: Conversation, t: Translator) -> Outbound:
    if state.unsure is not None and state.unsure.step == step.id:
        return confirmation_prompt(state, t)  # "I read ₹75,000 — is that right?"
    msgid = step.prompt if isinstance(step.prompt, str) else step.prompt(state)
    params = dict(step.params(state, t)) if step.params is not None else {}
    text = t(msgid, **params)
    choices = choices_for(step, state, t)
    if step.expects is Expect.PHONE:
        return PhoneRequest(
            text,
            known_phone=state.phone_hint,
            choices=choices,
            share_label=t("choice.share_phone"),
        )
    return ChoicePrompt(text, choices) if choices else TextReply(text)


def match_choice(payload: Payload, step: Step, state: Conversation) -> Payload:
    """Typed text that names a button (in either language, or its number on a pure
    choice step) becomes that button press; any other text is left as text."""
    if not isinstance(payload, Text):
        return payload
    folded = fold(payload.text)
    if not folded:
        return payload
    for language in Language:
        for choice in choices_for(step, state, translator(language)):
            if folded in {fold(choice.label), fold(choice.id)}:
                return ChoicePressed(choice.id)
    current = choices_for(step, state, translator(state.language or Language.HI))
    for choice in current:
        if folded in {fold(alias) for alias in _CHOICE_ALIASES.get(choice.id, ())}:
            return ChoicePressed(choice.id)
    number = to_ascii_digits(folded)
    is_number = number.isascii() and number.isdigit()
    if step.expects is Expect.CHOICE and is_number and 0 < int(number) <= len(current):
        return ChoicePressed(current[int(number) - 1].id)
    if step.default_choice is not None and not is_number:
        return ChoicePressed(step.default_choice)
    return payload
