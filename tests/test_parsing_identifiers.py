"""Mobiles, UPI ids, IFSC, accounts, UTRs, websites and the suspect classifier."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.errors import ValidationError
from bot.domain.parsing.identifiers import (
    PaymentMode,
    SuspectIdentifier,
    classify_suspect_identifier,
    extract_utr_from_sms,
    parse_account_number,
    parse_ifsc,
    parse_mobile,
    parse_upi_id,
    parse_url_or_handle,
    parse_utr,
)

SBI_SMS = (
    "A/C X4821 debited by 2500.0 on date 14Nov26 trf to RAMESH K Refno 631845002917 "
    "If not u? call 1800111109 -SBI"
)
HDFC_SMS = (
    "Sent Rs.15000.00 From HDFC Bank A/C *7731 To QUICKCASH SERVICES On 21/11/26 "
    "Ref 632519874410 Not You? Call 18002586161/SMS BLOCK UPI to 7308080808"
)
AXIS_SMS = (
    "INR 50000.00 debited\nA/c no. XX2057\n02-11-26, 16:27:59\nUPI/P2A/630612815830/MOHAN LAL\n"
    "Not you? SMS BLOCKUPI Cust ID to 919951860002\nAxis Bank"
)


def _msgid(call: object, *args: object) -> str:
    assert callable(call)
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return caught.value.msgid


@pytest.mark.parametrize(
    "text",
    [
        "9876543210",
        "+91 98765 43210",
        "+91-98765-43210",
        "919876543210",
        "09876543210",
        "(+91) 98765-43210",
        "0091 98765 43210",
        "९८७६५४३२१०",
        " 98765 43210 ",
    ],
)
def test_parse_mobile_accepts(text: str) -> None:
    assert parse_mobile(text) == "9876543210"


@pytest.mark.parametrize(
    "text",
    ["", "5876543210", "98765432", "98765432101", "+1 9876543210", "98765x3210", "+9198765432100"],
)
def test_parse_mobile_rejects(text: str) -> None:
    assert _msgid(parse_mobile, text) == "error.mobile.invalid"


@given(
    st.sampled_from("6789"),
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.sampled_from(["", "+91", "+91 ", "+91-", "91", "0", "(+91) ", "0091"]),
    st.booleans(),
)
def test_parse_mobile_round_trip(first: str, rest: str, prefix: str, split: bool) -> None:
    number = first + rest
    body = f"{number[:5]} {number[5:]}" if split else number
    assert parse_mobile(prefix + body) == number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ramesh@ybl", "ramesh@ybl"),
        ("Ramesh.K@OKAXIS", "ramesh.k@okaxis"),
        ("9876543210@paytm", "9876543210@paytm"),
        (" ramesh.k @ okaxis ", "ramesh.k@okaxis"),
        ("ramesh. k@okaxis", "ramesh.k@okaxis"),
        ("a_b-c@ibl", "a_b-c@ibl"),
        ("upi://pay?pa=fraud%40ybl&pn=QUICK", "fraud@ybl"),
    ],
)
def test_parse_upi_id_accepts(text: str, expected: str) -> None:
    assert parse_upi_id(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "a@gmail.com",
        "x@ybl",
        "ramesh@y",
        "ramesh",
        "ramesh@ybl1",
        "@ybl",
        "a@@ybl",
        "",
        "quick cash@upi",  # words are never glued into an id
        "uska upi abc@ybl hai",
    ],
)
def test_parse_upi_id_rejects(text: str) -> None:
    assert _msgid(parse_upi_id, text) == "error.upi.invalid"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SBIN0001234", "SBIN0001234"),
        ("sbin0001234", "SBIN0001234"),
        ("SBINO001234", "SBIN0001234"),
        ("HDFC 0001234", "HDFC0001234"),
        ("UTIB0ABC123", "UTIB0ABC123"),
    ],
)
def test_parse_ifsc_accepts(text: str, expected: str) -> None:
    assert parse_ifsc(text) == expected


@pytest.mark.parametrize("text", ["SBIN1001234", "SBI0001234", "SBIN00012345", "1234O001234", ""])
def test_parse_ifsc_rejects(text: str) -> None:
    assert _msgid(parse_ifsc, text) == "error.ifsc.invalid"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50100234567891", "50100234567891"),
        ("5010 0234 5678 91", "50100234567891"),
        ("1234-5678-9", "123456789"),
        ("१२३४५६७८९०", "1234567890"),
        ("123456789012345678", "123456789012345678"),
    ],
)
def test_parse_account_number_accepts(text: str, expected: str) -> None:
    assert parse_account_number(text) == expected


@pytest.mark.parametrize("text", ["12345678", "1234567890123456789", "XX2057", "1234/5678/9", ""])
def test_parse_account_number_rejects(text: str) -> None:
    assert _msgid(parse_account_number, text) == "error.account.invalid"


def test_payment_modes() -> None:
    assert [mode.value for mode in PaymentMode] == [
        "upi", "imps", "neft", "rtgs", "card", "netbanking", "wallet", "other",
    ]  # fmt: skip
    assert PaymentMode("upi") is PaymentMode.UPI


@pytest.mark.parametrize(
    ("text", "mode", "expected"),
    [
        ("631845002917", PaymentMode.UPI, "631845002917"),
        ("6318 4500 2917", PaymentMode.UPI, "631845002917"),
        ("6318-4500-2917", PaymentMode.IMPS, "631845002917"),
        ("UTR: 631845002917", PaymentMode.UPI, "631845002917"),
        ("६३१८४५००२९१७", PaymentMode.UPI, "631845002917"),
        (SBI_SMS, PaymentMode.UPI, "631845002917"),
        (HDFC_SMS, PaymentMode.IMPS, "632519874410"),
        (AXIS_SMS, PaymentMode.UPI, "630612815830"),
        ("hdfcn52022112345", PaymentMode.NEFT, "HDFCN52022112345"),
        ("HDFCR52026112700012345", PaymentMode.NEFT, "HDFCR52026112700012345"),
        ("UTR no. SBINN12345678901", PaymentMode.NEFT, "SBINN12345678901"),
        ("HDFCR52026112700012345", PaymentMode.RTGS, "HDFCR52026112700012345"),
        ("A1B2C3", PaymentMode.CARD, "A1B2C3"),
        ("REF123456", PaymentMode.CARD, "REF123456"),
        ("74332746334123456789012", PaymentMode.CARD, "74332746334123456789012"),
        ("W-12345678", PaymentMode.WALLET, "W12345678"),
        ("NB 1234 5678", PaymentMode.NETBANKING, "NB12345678"),
        ("A1" * 17 + "A", PaymentMode.OTHER, "A1" * 17 + "A"),
        ("UTR hai 631845002917 dekh lo", PaymentMode.UPI, "631845002917"),
        ("txn id T2611271234567890 hai", PaymentMode.WALLET, "T2611271234567890"),
    ],
)
def test_parse_utr_accepts(text: str, mode: PaymentMode, expected: str) -> None:
    assert parse_utr(text, mode) == expected


@pytest.mark.parametrize(
    ("text", "mode", "msgid"),
    [
        ("12345", PaymentMode.UPI, "error.utr.looks_like_otp"),
        ("482913", PaymentMode.CARD, "error.utr.looks_like_otp"),
        ("pata nahi", PaymentMode.OTHER, "error.utr.dont_know"),
        ("nahi hai", PaymentMode.WALLET, "error.utr.dont_know"),
        ("dont know", PaymentMode.NETBANKING, "error.utr.dont_know"),
        ("631845002917 ya 631845002918", PaymentMode.UPI, "error.utr.several"),
        ("6318450029171", PaymentMode.UPI, "error.utr.twelve_digits"),
        ("63184500291A", PaymentMode.IMPS, "error.utr.twelve_digits"),
        ("Cust ID to 919951860002", PaymentMode.UPI, "error.utr.twelve_digits"),
        ("HDFCN5202211234", PaymentMode.NEFT, "error.utr.neft"),
        ("HDFCN520221123456", PaymentMode.NEFT, "error.utr.neft"),
        ("HDFC/N5202211234", PaymentMode.NEFT, "error.utr.neft"),
        ("1234R52026112700012345", PaymentMode.RTGS, "error.utr.rtgs"),
        ("HDFCR5202611270001234", PaymentMode.RTGS, "error.utr.rtgs"),
        ("12345", PaymentMode.CARD, "error.utr.looks_like_otp"),
        ("1" * 24, PaymentMode.CARD, "error.utr.card"),
        ("12345", PaymentMode.WALLET, "error.utr.looks_like_otp"),
        ("A" * 35, PaymentMode.OTHER, "error.utr.generic"),  # a word is not an id
        ("A" * 36, PaymentMode.OTHER, "error.utr.generic"),
        ("abc#1234", PaymentMode.NETBANKING, "error.utr.generic"),
    ],
)
def test_parse_utr_rejects(text: str, mode: PaymentMode, msgid: str) -> None:
    assert _msgid(parse_utr, text, mode) == msgid


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (SBI_SMS, "631845002917"),
        (HDFC_SMS, "632519874410"),
        (AXIS_SMS, "630612815830"),
        ("UPI:631845002917 done", "631845002917"),
        ("UPI Ref No. 631845002917", "631845002917"),
        ("upi/p2m/630612815830/SHOP", "630612815830"),
        ("Call 1800111109, Cust ID 919951860002", None),
        ("Ref 6318450029171", None),
        ("", None),
    ],
)
def test_extract_utr_from_sms(text: str, expected: str | None) -> None:
    assert extract_utr_from_sms(text) == expected


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_any_twelve_digits_are_a_upi_reference(reference: str) -> None:
    assert parse_utr(reference, PaymentMode.UPI) == reference
    assert extract_utr_from_sms(f"Sent Rs.10 Ref {reference} Not You?") == reference


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("quick-loan.example", "quick-loan.example"),
        ("https://t.me/somehandle", "https://t.me/somehandle"),
        ("HTTP://Fraud.Example/Path?a=1", "http://fraud.example/Path?a=1"),
        ("www.quickcash-loans.in/apply", "www.quickcash-loans.in/apply"),
        ("example.com:8080", "example.com:8080"),
        ("192.168.1.10", "192.168.1.10"),
        ("xn--80ak6aa92e.com", "xn--80ak6aa92e.com"),
        ("@SomeHandle", "@somehandle"),
        ("@quick_cash.loans", "@quick_cash.loans"),
    ],
)
def test_parse_url_or_handle_accepts(text: str, expected: str) -> None:
    assert parse_url_or_handle(text) == expected


@pytest.mark.parametrize(
    "text",
    ["hello", "2.5", "a@gmail.com", "www.x.c", "-bad.com", "ftp://x.com", "two words.com", "@", ""],
)
def test_parse_url_or_handle_rejects(text: str) -> None:
    assert _msgid(parse_url_or_handle, text) == "error.url.invalid"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("fraud@ybl", SuspectIdentifier("upi_id", "fraud@ybl")),
        ("Pay to Fraud@YBL.", SuspectIdentifier("upi_id", "fraud@ybl")),
        ("9876543210@ybl", SuspectIdentifier("upi_id", "9876543210@ybl")),
        ("+91 98765 43210", SuspectIdentifier("mobile", "9876543210")),
        ("09876543210", SuspectIdentifier("mobile", "9876543210")),
        ("50100234567891", SuspectIdentifier("bank_account", "50100234567891")),
        (
            "50100234567891 HDFC0001234",
            SuspectIdentifier("bank_account", "50100234567891", "HDFC0001234"),
        ),
        (
            "A/c 50100234567891 IFSC HDFC0001234",
            SuspectIdentifier("bank_account", "50100234567891", "HDFC0001234"),
        ),
        (
            "IFSC: hdfcO001234, A/c no. 5010-0234-5678-91",
            SuspectIdentifier("bank_account", "50100234567891", "HDFC0001234"),
        ),
        ("quick-loan.example", SuspectIdentifier("url", "quick-loan.example")),
        ("https://t.me/somehandle", SuspectIdentifier("url", "https://t.me/somehandle")),
        ("@scammer", SuspectIdentifier("url", "@scammer")),
    ],
)
def test_classify_suspect_identifier(text: str, expected: SuspectIdentifier) -> None:
    assert classify_suspect_identifier(text) == expected


@pytest.mark.parametrize(
    "text", ["a@gmail.com", "hello world", "12345", "HDFC0001234", "", "fraud@ybl or thief@upi"]
)
def test_classify_suspect_identifier_rejects(text: str) -> None:
    assert _msgid(classify_suspect_identifier, text) == "error.suspect.unrecognised"


def test_suspect_identifier_is_frozen() -> None:
    found = classify_suspect_identifier("fraud@ybl")
    with pytest.raises(AttributeError):
        found.value = "other@ybl"  # type: ignore[misc]
