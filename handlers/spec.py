"""The vocabulary the flow is declared in, and what the engine hands back.

A `Step` says what to ask, what kind of answer it takes, how the answer is checked and
stored, and where to go next; the engine in `handlers.engine` interprets these records.
Nothing here knows about a channel.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.complaint import ComplaintSummary
from bot.domain.conversation import Conversation
from bot.domain.i18n import Translator
from bot.domain.messages import Choice, Outbound, Payload


class Expect(StrEnum):
    """The kind of message a step takes; anything else gets a polite re-prompt."""

    CHOICE = "choice"
    TEXT = "text"
    CHOICE_OR_TEXT = "choice or text"
    PHONE = "phone"
    MEDIA = "media"


class Effect(StrEnum):
    """Something that must happen outside the core when a transition is taken."""

    REGISTER = "register"
    SUBMIT = "submit"
    UPDATE = "update"
    DISCARD = "discard"
    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"
    BROADCAST = "broadcast"


@dataclass(frozen=True, slots=True)
class ChoiceSpec:
    id: str
    label: str  # catalog message id


@dataclass(frozen=True, slots=True)
class Transition:
    """Go to `target` when `choice` was pressed (if set) and `guard` holds (if set);
    `say` is a catalog message (or ``@name`` of a renderer) shown on the way, and
    `effect` is something done outside the conversation state."""

    target: str
    choice: str | None = None
    guard: str | None = None
    say: str | None = None
    effect: Effect | None = None
    remember: bool = False  # set `return_to` to the current step (editing starts here)
    how: str = "menu"  # recorded with a subscription change: where consent was given


Acceptor = Callable[[Conversation, Payload, "Context"], None]
ChoiceSource = Callable[[Conversation, Translator], tuple[Choice, ...]]
ParamSource = Callable[[Conversation, Translator], Mapping[str, object]]
PromptSource = Callable[[Conversation], str]


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    prompt: str | PromptSource
    expects: Expect
    accept: Acceptor
    next: tuple[Transition, ...]
    choices: tuple[ChoiceSpec, ...] | ChoiceSource = ()
    params: ParamSource | None = None
    skippable: bool = False
    group: str | None = None
    field: bool = True  # answers part of the complaint: editing it returns to the summary
    max_length: int = 300
    help: str = "help.general"
    default_choice: str | None = None  # what unrecognised free text at this step means
    ask_once: bool = False  # a question asked at most once per person, answered or not
    screen_secrets: bool = True  # warn about and refuse OTPs, PINs, card numbers typed here


@dataclass(frozen=True, slots=True)
class Context:
    """What the core may know of the outside world; the runtime supplies it."""

    now: datetime
    new_reference: Callable[[], str]
    complaints_of_user: Callable[[], list[ComplaintSummary]] = list
    resume_after: timedelta = timedelta(minutes=30)
    max_attachment_bytes: int = 10 * 1024 * 1024
    operator: bool = False
    subscriber_count: Callable[[], int] = int


@dataclass(frozen=True, slots=True)
class Event:
    """An effect for the runtime; `snapshot` is the state at that moment, because the
    state handed back may already have moved on (a submitted draft is cleared)."""

    effect: Effect
    reference: str | None = None
    how: str = ""
    snapshot: Conversation | None = None


@dataclass(slots=True)
class Outcome:
    state: Conversation
    replies: list[Outbound] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
