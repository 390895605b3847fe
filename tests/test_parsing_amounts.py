"""Amounts as victims type them, and the digit folding every parser relies on."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import ValidationError
from bot.domain.parsing.amounts import MAX_AMOUNT, parse_amount
from bot.domain.parsing.digits import fold_text, to_ascii_digits


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("५०००", "5000"),
        ("০১২৩", "0123"),  # Bengali
        ("௧௨", "12"),  # Tamil
        ("１２３", "123"),  # full-width
        ("ＵＰＩ ९८", "UPI 98"),
        ("Rs.5000", "Rs.5000"),
        ("", ""),
    ],
)
def test_to_ascii_digits(text: str, expected: str) -> None:
    assert to_ascii_digits(text) == expected


def test_fold_text_removes_nukta_case_and_extra_space() -> None:
    assert fold_text("  5   हज़ार\tRS ") == "5 हजार rs"
    assert fold_text("करोड़") == fold_text("करोड")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5000", "5000"),
        ("Rs.5000", "5000"),
        ("Rs 5,000", "5000"),
        ("rs5000/-", "5000"),
        ("Rs. 5,000/- only", "5000"),
        ("₹1,95,000", "195000"),
        ("₹ 1,95,000", "195000"),
        ("INR 50,000.00", "50000"),
        ("INR50000", "50000"),
        ("5000 INR", "5000"),
        ("2.5 lakh", "250000"),
        ("2.5 lac", "250000"),
        ("2.5 lakhs", "250000"),
        ("2.5lakh", "250000"),
        ("1 crore", "10000000"),
        ("5 crores", "50000000"),
        ("1 करोड़", "10000000"),
        ("1 करोड", "10000000"),
        ("26 लाख 4 हजार", "2604000"),
        ("55 हजार 236", "55236"),
        ("5 हज़ार", "5000"),
        ("1.5 हजार", "1500"),
        ("1 करोड़ 20 लाख", "12000000"),
        ("1 crore 20 lakh 5 thousand 300", "12005300"),
        ("2 lakh and 50 thousand", "250000"),
        ("5 हजार 5 सौ", "5500"),
        ("डेढ़ लाख", "150000"),
        ("ढाई लाख", "250000"),
        ("50 thousand", "50000"),
        ("5k", "5000"),
        ("5K", "5000"),
        ("५०००", "5000"),
        ("₹ ५,०००", "5000"),
        ("रु 500", "500"),
        ("रु. 500", "500"),
        ("500 रुपये", "500"),
        ("500 rupees", "500"),
        ("  5000  ", "5000"),
        ("5000.", "5000"),
        ("12,34,567", "1234567"),
        ("1,234,567", "1234567"),
        ("99.99", "99.99"),
        ("0.005", "0.01"),  # half-up to paise
        ("10.12", "10.12"),
        ("1,500.500", "1500.50"),  # a comma before it: the dot is a decimal point
        ("1.500 lakh", "150000"),  # a unit after it: the dot is a decimal point
        ("paanch hazaar", "5000"),
        ("पाँच हज़ार", "5000"),
        ("do lakh", "200000"),
        ("dedh lakh", "150000"),
        ("dhai lakh", "250000"),
        ("saadhe teen lakh", "350000"),
        ("sava do lakh", "225000"),
        ("paune do lakh", "175000"),
        ("twenty five thousand", "25000"),
        ("one and a half lakh", "150000"),
        ("पचास हजार", "50000"),
        ("५० हज़ार रुपे", "50000"),
        ("50k", "50000"),
        ("2 cr", "20000000"),
        ("das hazaar paanch sau", "10500"),
        ("100 crore", "1000000000"),
    ],
)
def test_parse_amount_accepts(text: str, expected: str) -> None:
    result = parse_amount(text)
    assert result == Decimal(expected)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("text", "msgid"),
    [
        ("", "error.amount.unreadable"),
        ("   ", "error.amount.unreadable"),
        ("abc", "error.amount.unreadable"),
        ("Rs", "error.amount.unreadable"),
        ("lakh", "error.amount.unreadable"),
        ("500 600", "error.amount.unreadable"),
        ("2 lakh 3 lakh", "error.amount.unreadable"),
        ("5 हजार 2 लाख", "error.amount.unreadable"),
        ("1 crore 200 lakh", "error.amount.unreadable"),
        ("5kg", "error.amount.unreadable"),
        ("1,2,3", "error.amount.unreadable"),
        ("50,00", "error.amount.unreadable"),
        ("1e5", "error.amount.unreadable"),
        ("5000 debited", "error.amount.unreadable"),
        ("डेढ़", "error.amount.unreadable"),
        ("1.2.3", "error.amount.unreadable"),
        ("75.000", "error.amount.dot"),  # 75 or 75,000? read_amount asks
        ("10.125", "error.amount.dot"),
        ("1.95.000", "error.amount.dot"),
        ("paanch", "error.amount.unreadable"),  # number words need their unit
        ("twenty twenty thousand", "error.amount.unreadable"),
        ("0", "error.amount.zero"),
        ("Rs 0/-", "error.amount.zero"),
        ("0.004", "error.amount.zero"),
        ("0 lakh", "error.amount.zero"),
        ("-500", "error.amount.negative"),
        ("−500", "error.amount.negative"),
        ("Rs -500", "error.amount.negative"),
        ("- ₹ 2 lakh", "error.amount.negative"),
        ("1000000000.01", "error.amount.too_large"),
        ("101 crore", "error.amount.too_large"),
        ("2 billion", "error.amount.too_large"),
        ("9" * 60, "error.amount.too_large"),
    ],
)
def test_parse_amount_rejects(text: str, msgid: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_amount(text)
    assert caught.value.msgid == msgid


def test_too_large_names_the_maximum() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_amount("500 crore")
    assert caught.value.params == {"maximum": MAX_AMOUNT}
    assert Decimal("1000000000") == MAX_AMOUNT


def _indian_grouping(number: int) -> str:
    digits = str(number)
    if len(digits) <= 3:
        return digits
    head, tail = digits[:-3], digits[-3:]
    pairs: list[str] = []
    while len(head) > 2:
        pairs.insert(0, head[-2:])
        head = head[:-2]
    return ",".join([head, *pairs, tail])


def test_indian_grouping_helper() -> None:
    assert _indian_grouping(1234567) == "12,34,567"
    assert _indian_grouping(195000) == "1,95,000"
    assert _indian_grouping(999) == "999"


@given(st.text())
def test_parse_amount_only_raises_validation_error(text: str) -> None:
    try:
        result = parse_amount(text)
    except ValidationError as error:
        assert error.msgid.startswith("error.amount.")
    else:
        assert Decimal("0.01") <= result <= MAX_AMOUNT


@given(
    st.integers(min_value=1, max_value=10**9),
    st.sampled_from(["₹", "₹ ", "Rs.", "Rs ", "INR ", ""]),
    st.sampled_from(["", "/-", ".00", " rupees"]),
)
def test_indian_grouping_round_trips(number: int, prefix: str, suffix: str) -> None:
    assert parse_amount(f"{prefix}{_indian_grouping(number)}{suffix}") == number


@given(st.integers(min_value=1, max_value=10**9))
def test_western_grouping_and_plain_round_trip(number: int) -> None:
    assert parse_amount(f"{number:,}") == number
    assert parse_amount(str(number)) == number


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=0, max_value=99))
def test_lakh_and_thousand_words_add_up(lakhs: int, thousands: int) -> None:
    expected = lakhs * 100_000 + thousands * 1_000
    assert parse_amount(f"{lakhs} लाख {thousands} हजार") == expected
    if thousands:
        assert parse_amount(f"{lakhs} lakh {thousands}k") == expected
