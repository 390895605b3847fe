"""Regression (issue 11, low): Hindi names written with a zero-width joiner or non-joiner
(`सुनीता‍वर्मा`, as some keyboards write them) were refused by `clean_name`. Joiners are
accepted inside Indic words now; at either end, alone, or between Latin letters (where
they only hide something) they are still refused."""

from __future__ import annotations

import pytest
from support.journeys import hindi_money_trail
from support.person import Person

from bot.domain.errors import ValidationError
from handlers.names import clean_name

ZWJ, ZWNJ = "\u200d", "\u200c"


@pytest.mark.parametrize(
    "name",
    [f"सुनीता{ZWJ}वर्मा", f"सुनीता{ZWNJ}वर्मा", f"क्{ZWJ}षमा", f"সুনীতা{ZWJ}বর্মা", f"ਸੁਨੀਤਾ{ZWNJ}ਵਰਮਾ"],
)
def test_joiners_inside_indic_words_are_accepted_as_typed(name: str) -> None:
    assert clean_name(name, "error.name.invalid") == name


@pytest.mark.parametrize(
    "name",
    [f"{ZWJ}सुनीता", f"सुनीता{ZWNJ}", ZWJ, ZWJ * 3, f"Sun{ZWJ}ita", f"सुनीता {ZWJ}वर्मा",
     f"सुनीता{ZWJ}{ZWJ}वर्मा", f"सुनीता{ZWJ}1"],
)  # fmt: skip
def test_joiners_elsewhere_are_refused(name: str) -> None:
    with pytest.raises(ValidationError):
        clean_name(name, "error.name.invalid")


async def test_the_name_step_keeps_a_joined_name(hindi_user: Person) -> None:
    reference = await hindi_money_trail(hindi_user)
    await hindi_user.press("छोड़ें")  # no suspect details
    await hindi_user.press("छोड़ें")  # no description
    await hindi_user.send(f"सुनीता{ZWJ}वर्मा")
    hindi_user.does_not_see("नाम अक्षरों में")
    record = hindi_user.link.store.get_complaint(reference)
    assert record is not None and record["name"] == f"सुनीता{ZWJ}वर्मा"
