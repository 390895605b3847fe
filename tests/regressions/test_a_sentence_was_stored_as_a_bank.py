"""Regression: any sentence was accepted as a bank name ("otp nahi hai mere paas" became
the bank). The bank reader returns None for text that names no bank."""

from __future__ import annotations

import pytest

from bot.domain.banks import match_bank


@pytest.mark.parametrize(
    "answer",
    ["otp nahi hai mere paas", "pata nahi", "nahi hai", "mujhe yaad nahi kaunsa tha", "yes"],
)
def test_a_sentence_is_not_a_bank(answer: str) -> None:
    assert match_bank(answer) is None
