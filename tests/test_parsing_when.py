"""When the fraud happened: SMS dates, Hindi day words, clock times and "2 hours ago"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.clock import IST
from bot.domain.errors import ValidationError
from bot.domain.parsing.when import MAX_AGE_YEARS, parse_when

NOW = datetime(2026, 11, 27, 18, 0, tzinfo=IST)


def _ist(moment: str) -> datetime:
    """An IST datetime from "YYYY-MM-DD HH:MM[:SS]", to keep the tables readable."""
    return datetime.fromisoformat(moment).replace(tzinfo=IST)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Explicit dates, day first, two-digit years are 20YY.
        ("27/11/2026 14:30", _ist("2026-11-27 14:30")),
        ("27/11/2026", _ist("2026-11-27 00:00")),
        ("27-11-26 2:30 pm", _ist("2026-11-27 14:30")),
        ("27.11.2026 2:30PM", _ist("2026-11-27 14:30")),
        ("27 Nov 2026 3pm", _ist("2026-11-27 15:00")),
        ("27 november 2026 3 p.m.", _ist("2026-11-27 15:00")),
        ("14Nov26", _ist("2026-11-14 00:00")),
        ("10-Nov-26 14:05", _ist("2026-11-10 14:05")),
        ("02-11-26, 16:27:59", _ist("2026-11-02 16:27:59")),
        ("21/11/26", _ist("2026-11-21 00:00")),
        ("1/11/26 9:05 am", _ist("2026-11-01 09:05")),
        ("5/11/2026 12 am", _ist("2026-11-05 00:00")),
        ("5/11/2026 12 pm", _ist("2026-11-05 12:00")),
        ("Nov 20, 2026", _ist("2026-11-20 00:00")),
        ("2026-11-20 10:00", _ist("2026-11-20 10:00")),
        ("20 नवंबर 2026", _ist("2026-11-20 00:00")),
        ("on 27/11/2026 at 2:30 p.m.", _ist("2026-11-27 14:30")),
        ("२७/११/२०२६ १४:३०", _ist("2026-11-27 14:30")),
        # A date without a year is the latest such date not after today.
        ("26/11", _ist("2026-11-26 00:00")),
        ("25 dec", _ist("2025-12-25 00:00")),
        ("27 nov 10 am", _ist("2026-11-27 10:00")),
        # Day words; कल means yesterday because the question is about the past.
        ("today", _ist("2026-11-27 00:00")),
        ("आज", _ist("2026-11-27 00:00")),
        ("Today 3 PM", _ist("2026-11-27 15:00")),
        ("yesterday", _ist("2026-11-26 00:00")),
        ("कल", _ist("2026-11-26 00:00")),
        ("परसों", _ist("2026-11-25 00:00")),
        ("day before yesterday 9 am", _ist("2026-11-25 09:00")),
        ("yesterday 3 pm", _ist("2026-11-26 15:00")),
        ("7 p.m. yesterday", _ist("2026-11-26 19:00")),
        ("yesterday 10:30", _ist("2026-11-26 10:30")),
        ("कल 3 बजे", _ist("2026-11-26 15:00")),
        ("kal 9 baje", _ist("2026-11-26 09:00")),
        # Parts of the day.
        ("आज सुबह 10 बजे", _ist("2026-11-27 10:00")),
        ("आज दोपहर 2 बजे", _ist("2026-11-27 14:00")),
        ("आज दोपहर 12 बजे", _ist("2026-11-27 12:00")),
        ("कल शाम 7 बजे", _ist("2026-11-26 19:00")),
        ("कल रात 10 बजे", _ist("2026-11-26 22:00")),
        ("कल रात 12 बजे", _ist("2026-11-27 00:00")),
        ("कल रात 2 बजे", _ist("2026-11-27 02:00")),
        ("आज रात 2 बजे", _ist("2026-11-27 02:00")),
        ("कल रात", _ist("2026-11-26 21:00")),
        ("last night", _ist("2026-11-26 21:00")),
        ("this morning", _ist("2026-11-27 09:00")),
        # Time alone: the latest such moment that is not in the future.
        ("3 pm", _ist("2026-11-27 15:00")),
        ("15:30", _ist("2026-11-27 15:30")),
        ("3:30", _ist("2026-11-27 15:30")),
        ("9:30", _ist("2026-11-27 09:30")),
        ("03:30", _ist("2026-11-27 03:30")),
        ("10 बजे", _ist("2026-11-27 10:00")),
        ("2.30 pm", _ist("2026-11-27 14:30")),
        ("11 pm", _ist("2026-11-26 23:00")),
        ("18:03", _ist("2026-11-27 18:03")),  # inside the five-minute grace
        # Relative times.
        ("2 hours ago", _ist("2026-11-27 16:00")),
        ("2 घंटे पहले", _ist("2026-11-27 16:00")),
        ("an hour ago", _ist("2026-11-27 17:00")),
        ("half an hour ago", _ist("2026-11-27 17:30")),
        ("आधा घंटा पहले", _ist("2026-11-27 17:30")),
        ("30 minutes ago", _ist("2026-11-27 17:30")),
        ("30 मिनट पहले", _ist("2026-11-27 17:30")),
        ("३० मिनट पहले", _ist("2026-11-27 17:30")),
        ("3 days ago", _ist("2026-11-24 00:00")),  # the day estimated, not a time
        ("2 दिन पहले", _ist("2026-11-25 00:00")),
        ("1 week ago", _ist("2026-11-20 00:00")),
        ("just now", NOW),
        ("अभी", NOW),
        ("now", NOW),
    ],
)
def test_parse_when_accepts(text: str, expected: datetime) -> None:
    result = parse_when(text, NOW)
    assert result == expected
    assert result.tzinfo is IST


@pytest.mark.parametrize(
    ("text", "msgid"),
    [
        ("", "error.when.unreadable"),
        ("hello", "error.when.unreadable"),
        ("3", "error.when.unreadable"),  # a bare number is not a time
        ("27/11/2026 3", "error.when.unreadable"),
        ("14.30", "error.when.unreadable"),
        ("10 minutes", "error.when.unreadable"),
        ("27/11/2026 28/11/2026", "error.when.unreadable"),
        ("सुबह शाम", "error.when.unreadable"),
        ("27/11/202", "error.when.unreadable"),
        ("31/02/2026", "error.when.invalid_date"),
        ("29 feb 2026", "error.when.invalid_date"),
        ("13/13/2026", "error.when.invalid_date"),
        ("25:00", "error.when.invalid_date"),
        ("27/11/2026 25:00", "error.when.invalid_date"),
        ("10:75", "error.when.invalid_date"),
        ("0 am", "error.when.invalid_date"),
        ("28/11/2026", "error.when.future"),
        ("27/11/2026 18:06", "error.when.future"),
        ("1 jan 2027", "error.when.future"),
        ("today 11 pm", "error.when.future"),
        ("1/1/2020", "error.when.too_old"),
        ("27/11/2021 17:59", "error.when.too_old"),
        ("10000 days ago", "error.when.too_old"),
        ("99999999999999999999 hours ago", "error.when.too_old"),
    ],
)
def test_parse_when_rejects(text: str, msgid: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_when(text, NOW)
    assert caught.value.msgid == msgid


def test_too_old_names_the_limit() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_when("1/1/2001", NOW)
    assert caught.value.params == {"years": 5}
    assert MAX_AGE_YEARS == 5


def test_exactly_five_years_is_still_accepted() -> None:
    assert parse_when("27/11/2021 18:00", NOW) == _ist("2021-11-27 18:00")


def test_now_in_another_zone_is_converted_to_ist() -> None:
    utc_now = NOW.astimezone(UTC)
    assert parse_when("yesterday 3 pm", utc_now) == _ist("2026-11-26 15:00")
    assert parse_when("just now", utc_now).tzinfo is IST


def test_just_after_midnight_a_late_time_means_yesterday() -> None:
    early = _ist("2026-11-28 00:30")
    assert parse_when("11:45 pm", early) == _ist("2026-11-27 23:45")
    assert parse_when("रात 11 बजे", early) == _ist("2026-11-27 23:00")


def test_naive_now_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_when("today", datetime(2026, 11, 27, 18, 0))


@given(st.text())
def test_parse_when_never_future_and_only_validation_errors(text: str) -> None:
    try:
        result = parse_when(text, NOW)
    except ValidationError as error:
        assert error.msgid.startswith("error.when.")
    else:
        assert result <= NOW + timedelta(minutes=5)
        assert result.tzinfo is IST


_PHRASES = st.sampled_from(
    ["today", "yesterday", "कल", "आज", "परसों", "kal raat", "आज शाम", "", "14Nov26"]
)


@given(
    _PHRASES,
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=59),
    st.sampled_from(["", " am", " pm", " बजे"]),
    st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(IST)
    ),
)
def test_generated_clock_phrases_are_never_in_the_future(
    day: str, hour: int, minute: int, marker: str, now: datetime
) -> None:
    text = f"{day} {hour}:{minute:02d}{marker}"
    try:
        result = parse_when(text, now)
    except ValidationError as error:
        assert error.msgid in {
            "error.when.future",
            "error.when.invalid_date",
            "error.when.too_old",
            "error.when.unreadable",
        }
    else:
        assert result <= now + timedelta(minutes=5)
        assert result.minute == minute


@given(st.integers(min_value=0, max_value=60 * 24 * 365 * 4))
def test_minutes_ago_round_trip(minutes: int) -> None:
    assert parse_when(f"{minutes} minutes ago", NOW) == NOW - timedelta(minutes=minutes)
    assert parse_when(f"{minutes} मिनट पहले", NOW) == NOW - timedelta(minutes=minutes)
