"""The vocabulary the flow is declared in, and what the engine hands back.

A `Step` says what to ask, what kind of answer it takes, how the answer is checked and
stored, and where to go next; the engine in `handlers.engine` interprets these records.
Nothing here knows about a channel.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import NoReturn

from bot.domain.complaint import ComplaintSummary
from bot.domain.conversation import Conversation
from bot.domain.errors import BotError
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
    DISCARD = "discard"
    SUBSCRIBE = "subscribe"
    UNSUBSCRIBE = "unsubscribe"
    BROADCAST = "broadcast"
    PERSON_REQUEST = "person_request"  # they asked to talk to a person: the desk sees it


@dataclass(frozen=True, slots=True)
class ChoiceSpec:
    id: str
    label: str  # catalog message id


class Jump(StrEnum):
    """Targets resolved when the transition is taken, not when the flow is written."""

    EDIT_START = "@return"  # back to where an edit started (`return_to`)
    PAUSED = "@paused"  # back to where the person paused (`paused_step`)
    CARD_FROM = "@card"  # back to the step a payment card interrupted (`card_from`)


Guard = Callable[[Conversation], bool]
Sayer = Callable[[Conversation, Translator, "Context"], str]
"""Text said on the way that depends on the state (the reference number, a status)."""


@dataclass(frozen=True, slots=True)
class Transition:
    """Go to `target` when `choice` was pressed (if set) and `guard` holds (if set);
    `say` is a catalog message id, or a `Sayer`, shown on the way, and `effect` is
    something done outside the conversation state."""

    target: str | Jump
    choice: str | None = None
    guard: Guard | None = None
    say: str | Sayer | None = None
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
    # A pasted bank SMS or app notification here becomes a card of the debits it holds.
    reads_payments: bool = False
    # What "pata nahi" gets where it cannot mean "skip": why we need it, how to answer.
    dont_know: str = "error.dont_know"


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
    helpdesk_phone: str | None = None  # the cyber cell's number, where it takes calls
    helpdesk_hours: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """An effect for the runtime; `snapshot` is the state at that moment, because the
    state handed back may already have moved on (a submitted draft is cleared)."""

    effect: Effect
    how: str = ""
    snapshot: Conversation | None = None
    reference: str | None = None  # the complaint it concerns, when no snapshot is saved


@dataclass(slots=True)
class Outcome:
    state: Conversation
    replies: list[Outbound] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


# --- the flow, checked when it is defined ---------------------------------------------------


class FlowError(BotError):
    """The flow declaration is wrong; the message names the step."""


@dataclass(frozen=True, slots=True)
class Offered:
    """Buttons computed from the state. `ids` names the ones a transition may test for,
    so the flow can be checked when defined although the buttons are made at run time."""

    source: ChoiceSource
    ids: frozenset[str] = frozenset()

    def __call__(self, state: Conversation, t: Translator) -> tuple[Choice, ...]:
        return self.source(state, t)


def offering(*ids: str) -> Callable[[ChoiceSource], Offered]:
    """Declares a function that makes buttons, and the ids transitions may depend on."""

    def declare(source: ChoiceSource) -> Offered:
        return Offered(source, frozenset(ids))

    return declare


_MSGID = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")


class Flow(Mapping[str, Step]):
    """The steps by id, checked on construction: every id declared once, every target,
    guard, renderer and button a transition names exists, every step reachable from the
    entry steps (the ones the engine enters by itself). A mistake raises `FlowError` at
    import, naming the step, instead of surfacing when a frightened person reaches it."""

    def __init__(self, steps: Iterable[Step], *, entries: Iterable[str]) -> None:
        self._steps: dict[str, Step] = {}
        for step in steps:
            if step.id in self._steps:
                raise FlowError(f"step {step.id!r} is declared twice")
            self._steps[step.id] = step
        self.entries = tuple(entries)
        for entry in self.entries:
            if entry not in self._steps:
                raise FlowError(f"entry step {entry!r} is not declared")
        for step in self._steps.values():
            self._check(step)
        unreachable = sorted(set(self._steps) - self._reachable())
        if unreachable:
            raise FlowError(f"step {unreachable[0]!r} cannot be reached from {self.entries}")

    def __getitem__(self, step_id: str) -> Step:
        return self._steps[step_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._steps)

    def __len__(self) -> int:
        return len(self._steps)

    def _check(self, step: Step) -> None:
        def fail(problem: str) -> NoReturn:
            raise FlowError(f"step {step.id!r}: {problem}")

        if not step.next:
            fail("has no transitions")
        offered = choice_ids(step)
        if step.default_choice is not None and step.default_choice not in offered:
            fail(f"default choice {step.default_choice!r} is not one of its buttons")
        for position, transition in enumerate(step.next):
            target = transition.target
            if not isinstance(target, Jump) and target not in self._steps:
                fail(f"goes to unknown step {target!r}")
            if transition.guard is not None and not callable(transition.guard):
                fail(f"unknown guard {transition.guard!r} (give the function itself)")
            say = transition.say
            if isinstance(say, str) and not _MSGID.fullmatch(say):
                fail(f"unknown renderer {say!r} (give a catalog id or the function itself)")
            if transition.choice is not None and transition.choice not in offered:
                fail(f"transition on {transition.choice!r}, which is not one of its buttons")
            unconditional = transition.choice is None and transition.guard is None
            if unconditional and position < len(step.next) - 1:
                fail(f"transitions after the unconditional one to {target!r} are never taken")

    def _reachable(self) -> set[str]:
        seen: set[str] = set()
        waiting = list(self.entries)
        while waiting:
            step_id = waiting.pop()
            if step_id in seen:
                continue
            seen.add(step_id)
            waiting += [
                t.target for t in self._steps[step_id].next if not isinstance(t.target, Jump)
            ]
        return seen


def choice_ids(step: Step) -> frozenset[str]:
    """The button ids a step can offer, as far as the declaration tells."""
    choices = step.choices
    if isinstance(choices, tuple):
        ids = frozenset(spec.id for spec in choices)
    elif isinstance(choices, Offered):
        ids = choices.ids
    else:
        ids = frozenset()
    return ids | {"skip", "done"} if step.skippable else ids
