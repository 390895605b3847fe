"""Random text never makes a reader return a value its validator would refuse, and never
raises anything but ValidationError."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.domain.banks import DIRECTORY, match_bank
from bot.domain.clock import IST
from bot.domain.errors import ValidationError
from bot.domain.parsing.amount_reading import read_amount
from bot.domain.parsing.amounts import MAX_AMOUNT
from bot.domain.parsing.categories import read_category
from bot.domain.parsing.finding import IdentifierKind, find_identifiers
from bot.domain.parsing.identifiers import (
    PaymentMode,
    parse_mobile,
    parse_upi_id,
    read_transaction_id,
)
from bot.domain.parsing.replies import read_reply
from bot.domain.parsing.sms import read_payment_texts
from bot.domain.parsing.when import MAX_AGE_YEARS, read_when
from bot.domain.places import CHHATTISGARH_DISTRICTS, read_place

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=IST)
# Text that looks like answers: digits, number and time words, ids, in three scripts.
WORDS = st.sampled_from(
    ["5000", "₹", "rs", "lakh", "हज़ार", "paanch", "dedh", ".", ",", "kal", "shaam", "baje",
     "3", "15:27", "pehle", "din", "2", "75.000", "sbi", "bank", "hdfc", "pata", "nahi",
     "abc@ybl", "+91", "98765", "43210", "631845002917", "utr", "otp", "482913", "a/c",
     "XX1234", "debited", "credited", "Ref", "UPI/P2A/", "14Nov26", "-", "/", "\n", "raipur",
     "शाम", "५", "बजे", "कल", "video", "call", "loan", "ifsc", "HDFC0001234"]
)  # fmt: skip
ANSWERS = st.one_of(st.text(max_size=80), st.lists(WORDS, max_size=14).map(" ".join))


@given(ANSWERS)
def test_amounts_stay_within_bounds(text: str) -> None:
    try:
        reading = read_amount(text)
    except ValidationError as error:
        assert error.msgid.startswith("error.amount.")
    else:
        assert Decimal("0.01") <= reading.value <= MAX_AMOUNT
        assert reading.sure or reading.why.startswith("unsure.amount.")


@given(ANSWERS, st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 1, 1),
                             timezones=st.just(IST)))  # fmt: skip
def test_moments_are_never_in_the_future_or_too_old(text: str, now: datetime) -> None:
    try:
        reading = read_when(text, now)
    except ValidationError as error:
        assert error.msgid.startswith("error.when.")
    else:
        assert reading.value.at <= now + timedelta(minutes=5)
        assert reading.value.at.year >= now.year - MAX_AGE_YEARS - 1
        assert reading.sure or reading.why.startswith("unsure.when.")


@given(ANSWERS, st.sampled_from(list(PaymentMode)))
def test_transaction_ids_fit_their_mode(text: str, mode: PaymentMode) -> None:
    try:
        reading = read_transaction_id(text, mode)
    except ValidationError as error:
        assert error.msgid.startswith(("error.utr.", "warning.secret."))
    else:
        reference = reading.value
        assert re.fullmatch(r"[A-Z0-9]{6,35}", reference)
        assert any(char.isdigit() for char in reference)
        assert not re.fullmatch(r"[0-9]{4,8}", reference)
        if mode in (PaymentMode.UPI, PaymentMode.IMPS):
            assert re.fullmatch(r"[0-9]{12}", reference)


@settings(max_examples=60)
@given(ANSWERS)
def test_identifiers_found_pass_their_own_parsers(text: str) -> None:
    for found in find_identifiers(text):
        assert found.value.strip() == found.value and " " not in found.value
        if found.kind is IdentifierKind.UPI_ID:
            assert parse_upi_id(found.value) == found.value
        if found.kind is IdentifierKind.MOBILE:
            assert parse_mobile(found.value) == found.value
        if found.kind is IdentifierKind.URL:
            assert not set("<>\"'`") & set(found.value)


@given(ANSWERS)
def test_names_come_from_the_tables(text: str) -> None:
    bank = match_bank(text)
    assert bank is None or bank.value in DIRECTORY
    place = read_place(text, CHHATTISGARH_DISTRICTS)
    assert place is None or place.value in CHHATTISGARH_DISTRICTS
    category = read_category(text)
    assert category is None or category.value in {
        "upi", "card_sim", "netbanking", "wallet", "aeps", "vishing", "investment", "job",
        "loan_app", "shopping", "sextortion",
    }  # fmt: skip
    read_reply(text)


@settings(max_examples=60)
@given(ANSWERS)
def test_sms_fields_are_valid_when_present(text: str) -> None:
    for payment in read_payment_texts(text, NOW):
        if payment.amount is not None:
            assert Decimal("0.01") <= payment.amount <= MAX_AMOUNT
        if payment.occurred_at is not None:
            assert payment.occurred_at.at <= NOW + timedelta(minutes=5)
        if payment.reference is not None:
            assert re.fullmatch(r"[A-Z0-9]{12,22}", payment.reference)
        if payment.receiver_upi is not None:
            assert parse_upi_id(payment.receiver_upi) == payment.receiver_upi
        if payment.bank is not None:
            assert payment.bank in {bank.name for bank in DIRECTORY}
