"""Regression: "2 din pehle" and "01-12-26" were stored as exact times to the minute (an
invented 1:27 am, midnight) and shown to the police as exact. Each reading now carries
its precision."""

from __future__ import annotations

from datetime import datetime

from bot.domain.clock import IST
from bot.domain.parsing.when import read_when
from bot.domain.payments import Precision

NOW = datetime(2026, 12, 3, 1, 27, tzinfo=IST)


def test_days_ago_is_an_estimate() -> None:
    assert read_when("2 din pehle", NOW).value.precision is Precision.ABOUT


def test_a_date_alone_is_a_day_not_midnight() -> None:
    moment = read_when("01-12-26", NOW).value
    assert moment.precision is Precision.DAY
    assert moment.at.date().isoformat() == "2026-12-01"


def test_only_a_clock_with_minutes_is_a_minute() -> None:
    assert read_when("kal shaam", NOW).value.precision is Precision.PART_OF_DAY
    assert read_when("kal 3pm", NOW).value.precision is Precision.HOUR
    assert read_when("kal 15:27", NOW).value.precision is Precision.MINUTE
