"""Regression: "75.000" was stored as ₹75; many people write the thousands separator as a
dot. The strict parser refuses it; the reader reads ₹75,000 and asks to confirm."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain.errors import ValidationError
from bot.domain.parsing.amount_reading import read_amount
from bot.domain.parsing.amounts import parse_amount


def test_the_strict_parser_no_longer_stores_75() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_amount("75.000")
    assert caught.value.msgid == "error.amount.dot"


def test_the_reader_shows_75000_and_asks() -> None:
    reading = read_amount("75.000")
    assert (reading.value, reading.sure, reading.why) == (
        Decimal("75000"),
        False,
        "unsure.amount.dot",
    )


def test_paise_after_a_dot_are_still_paise() -> None:
    assert parse_amount("75.50") == Decimal("75.50")
    assert read_amount("Rs 5000.00").value == Decimal("5000")
