"""The flow is checked when it is defined: a mistake fails at import, naming the step."""

from __future__ import annotations

from typing import Any

import pytest

from bot.domain.messages import Choice
from handlers.answers import accept_choice
from handlers.flow import FLOW, STEPS
from handlers.spec import ChoiceSpec, Expect, Flow, FlowError, Jump, Step, Transition, offering


def step(step_id: str, *next: Transition, **options: Any) -> Step:
    options.setdefault("choices", (ChoiceSpec("yes", "choice.yes"), ChoiceSpec("no", "choice.no")))
    return Step(step_id, "prompt.menu", Expect.CHOICE, accept_choice, next=next, **options)


def fails(steps: list[Step], *fragments: str) -> None:
    with pytest.raises(FlowError) as raised:
        Flow(steps, entries=("start",))
    for fragment in fragments:
        assert fragment in str(raised.value)


def test_the_real_flow_is_checked_and_complete() -> None:
    assert isinstance(FLOW, Flow)
    assert set(FLOW) == {s.id for s in STEPS}


def test_a_step_declared_twice_is_refused() -> None:
    fails([step("start", Transition("start")), step("start", Transition("start"))], "'start'")


def test_a_transition_to_a_missing_step_names_both() -> None:
    fails([step("start", Transition("nowhere"))], "'start'", "'nowhere'")


def test_a_guard_given_by_name_instead_of_the_function_is_refused() -> None:
    fails(
        [step("start", Transition("start", guard="mode_missing"), Transition("start"))],  # type: ignore[arg-type]
        "'start'",
        "guard 'mode_missing'",
    )


def test_a_renderer_given_by_an_at_name_is_refused() -> None:
    fails([step("start", Transition("start", say="@status"))], "'start'", "'@status'")


def test_a_transition_on_a_button_the_step_does_not_offer_is_refused() -> None:
    fails(
        [step("start", Transition("start", choice="maybe"), Transition("start"))],
        "'start'",
        "'maybe'",
    )


def test_buttons_made_at_run_time_declare_what_transitions_may_test() -> None:
    @offering("again")
    def dynamic(state: object, t: object) -> tuple[Choice, ...]:
        return (Choice("again", "Again"),)

    Flow([step("start", Transition("start", choice="again"), choices=dynamic)], entries=("start",))
    fails(
        [step("start", Transition("start", choice="other"), choices=dynamic)],
        "'start'",
        "'other'",
    )


def test_an_unreachable_step_is_refused() -> None:
    fails([step("start", Transition("start")), step("island", Transition("start"))], "'island'")


def test_transitions_after_an_unconditional_one_are_refused() -> None:
    fails(
        [step("start", Transition("start"), Transition(Jump.PAUSED, choice="yes"))],
        "'start'",
        "never taken",
    )


def test_an_entry_that_is_not_a_step_is_refused() -> None:
    with pytest.raises(FlowError, match="'menu'"):
        Flow([step("start", Transition("start"))], entries=("start", "menu"))
