"""Secrets the bot must refuse to keep: card numbers, OTPs, PINs, CVVs, passwords."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.parsing.secrets import SecretKind, card_last4, detect_secret


def _luhn_complete(body: str) -> str:
    """Append the check digit that makes `body` pass the Luhn test."""
    total = 0
    for position, char in enumerate(reversed(body)):
        value = int(char)
        if position % 2 == 0:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return body + str((10 - total % 10) % 10)


def test_luhn_helper_matches_known_test_cards() -> None:
    assert _luhn_complete("411111111111111") == "4111111111111111"
    assert _luhn_complete("37828224631000") == "378282246310005"
    assert _luhn_complete("607153000000000") == "6071530000000007"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Card numbers: 13-19 digits, Luhn-valid, grouped or not, anywhere in the text.
        ("4111111111111111", SecretKind.CARD_NUMBER),
        ("4111 1111 1111 1111", SecretKind.CARD_NUMBER),
        ("my card 4111-1111-1111-1111 exp 12/28", SecretKind.CARD_NUMBER),
        ("4111 1111 1111 1111 500", SecretKind.CARD_NUMBER),
        ("amex 3782 822463 10005", SecretKind.CARD_NUMBER),
        ("rupay ६०७१ ५३०० ०००० ०००७", SecretKind.CARD_NUMBER),
        ("card 4111111111111111 cvv 123", SecretKind.CARD_NUMBER),
        # OTP: keyword plus a 4-8 digit value next to it, either order.
        ("my OTP is 482913", SecretKind.OTP),
        ("otp: 4829", SecretKind.OTP),
        ("O.T.P. 48291", SecretKind.OTP),
        ("one time password 482913", SecretKind.OTP),
        ("ओटीपी 482913", SecretKind.OTP),
        ("482913 is your OTP for txn of INR 5,000.00", SecretKind.OTP),
        ("482913 मेरा OTP था", SecretKind.OTP),
        ("Your OTP for transaction of Rs 5000 at SHOP is 482913. Do not share", SecretKind.OTP),
        ("मैंने OTP ४८२९१३ बताया", SecretKind.OTP),
        # PIN: 4-6 digits.
        ("upi pin 1234", SecretKind.PIN),
        ("UPI PIN: 123456", SecretKind.PIN),
        ("mpin 4821", SecretKind.PIN),
        ("atm pin was 4821", SecretKind.PIN),
        ("4821 मेरा पिन था", SecretKind.PIN),
        ("पिन 4821", SecretKind.PIN),
        # CVV: 3-4 digits.
        ("cvv 123", SecretKind.CVV),
        ("CVV: 1234", SecretKind.CVV),
        ("cvc2 321", SecretKind.CVV),
        ("सीवीवी 123", SecretKind.CVV),
        # Password: any plausible token after the keyword.
        ("password: hunter2", SecretKind.PASSWORD),
        ("my password is secret", SecretKind.PASSWORD),
        ("pwd Ram@123", SecretKind.PASSWORD),
        ("passcode 998877", SecretKind.PASSWORD),
        ("मेरा पासवर्ड Ram@123 है", SecretKind.PASSWORD),
        ("password 1234", SecretKind.PASSWORD),
    ],
)
def test_detect_secret_flags(text: str, expected: SecretKind) -> None:
    assert detect_secret(text) is expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "5000",
        "Rs 5000",
        "₹1,95,000",
        "27/11/2026 14:30",
        "02-11-26, 16:27:59",
        "631845002917",
        "UTR 631845002917",
        "9876543210",
        "+91 98765 43210",
        "0091 98765 43210",
        "4111111111111112",  # fails Luhn
        "1111111111111117",  # Luhn-valid but no card network starts with 1
        # Luhn-valid long numbers labelled as an account or a reference are not cards.
        "A/c 50100234567896",
        "acknowledgement no 31211250012347",
        "UTR: 5010 0234 5678 96",
        "he asked for my OTP",
        "he asked for OTP and I lost 5000",
        "OTP 631845002917",
        "otp rs 5000",
        "otp 5000 rupees",
        "otp at 14:30",
        "otp 48",
        "cvv 12345",
        "upi pin 12",
        "pincode 110001",
        "pin code 110001",
        "पिन कोड 110001",
        "I never shared my PIN",
        "password reset link",
        "he asked for my password and I gave it",
        "password was not shared",
        "Sent Rs.15000.00 From HDFC Bank A/C *7731 On 21/11/26 Ref 632519874410",
    ],
)
def test_detect_secret_ignores(text: str) -> None:
    assert detect_secret(text) is None


def test_the_label_is_what_keeps_an_account_number_from_being_a_card() -> None:
    assert detect_secret("50100234567896") is SecretKind.CARD_NUMBER
    assert detect_secret("account 50100234567896") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4111 1111 1111 1111", "1111"),
        ("card no 5555-5555-5555-4444 please block", "4444"),
        ("amex 3782 822463 10005", "0005"),
        ("my OTP is 482913", None),
        ("631845002917", None),
        ("", None),
    ],
)
def test_card_last4(text: str, expected: str | None) -> None:
    assert card_last4(text) == expected


_CARDS = st.builds(
    lambda first, body: _luhn_complete(first + body),
    st.sampled_from("23456"),
    st.integers(min_value=11, max_value=17).flatmap(
        lambda size: st.text(alphabet="0123456789", min_size=size, max_size=size)
    ),
)


@given(_CARDS, st.sampled_from(["", " ", "-"]), st.sampled_from(["", "card ", "my card is "]))
def test_every_valid_card_number_is_detected(card: str, separator: str, lead: str) -> None:
    grouped = separator.join(card[i : i + 4] for i in range(0, len(card), 4))
    text = f"{lead}{grouped}"
    assert detect_secret(text) is SecretKind.CARD_NUMBER
    assert card_last4(text) == card[-4:]


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.sampled_from(["", "UTR "]))
def test_twelve_digit_numbers_are_never_cards(number: str, lead: str) -> None:
    assert detect_secret(lead + number) is None
    assert card_last4(lead + number) is None


@given(st.text())
def test_detect_secret_never_raises(text: str) -> None:
    result = detect_secret(text)
    assert result is None or isinstance(result, SecretKind)
    last4 = card_last4(text)
    assert last4 is None or (len(last4) == 4 and last4.isdigit())
