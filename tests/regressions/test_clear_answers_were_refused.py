"""Regression: clear answers were refused (and the first message's content lost): amounts
inside a sentence, Hindi and Hinglish number words, "५० हज़ार रुपे", "do din pehle shaam
ko", "yesterdy 3pm", "कल साम ५ बजे", "हाँ उसी समय", "online shopping me thagi" and
"mere account se 5000 kat gaye". Each is now read."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from bot.domain.clock import IST
from bot.domain.parsing.amount_reading import read_amount
from bot.domain.parsing.categories import read_category
from bot.domain.parsing.replies import Reply, read_reply
from bot.domain.parsing.when import read_when

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=IST)


@pytest.mark.parametrize(
    ("answer", "rupees"),
    [
        ("mere account se 5000 kat gaye", "5000"),
        ("५० हज़ार रुपे", "50000"),
        ("paanch hazaar", "5000"),
        ("पाँच हज़ार", "5000"),
        ("dedh lakh", "150000"),
        ("saadhe teen lakh", "350000"),
    ],
)
def test_amounts(answer: str, rupees: str) -> None:
    reading = read_amount(answer)
    assert (reading.value, reading.sure) == (Decimal(rupees), True)


@pytest.mark.parametrize(
    ("answer", "moment"),
    [
        ("do din pehle shaam ko", "2026-11-26 18:00"),
        ("yesterdy 3pm", "2026-11-27 15:00"),
        ("कल साम ५ बजे", "2026-11-27 17:00"),
    ],
)
def test_times(answer: str, moment: str) -> None:
    reading = read_when(answer, NOW)
    assert reading.sure
    assert reading.value.at == datetime.fromisoformat(moment).replace(tzinfo=IST)


def test_same_time_in_hindi() -> None:
    assert read_reply("हाँ उसी समय") is Reply.SAME


def test_a_category_in_a_sentence() -> None:
    reading = read_category("online shopping me thagi")
    assert reading is not None
    assert (reading.value, reading.sure) == ("shopping", True)
