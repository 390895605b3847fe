"""Regression: a bare 6-digit OTP typed by a confused victim at the transaction-id step was
stored as the id. A bare number of 4-8 digits is refused with a warning about OTPs."""

from __future__ import annotations

import pytest

from bot.domain.errors import ValidationError
from bot.domain.parsing.identifiers import PaymentMode, parse_utr, read_transaction_id


@pytest.mark.parametrize("mode", list(PaymentMode))
@pytest.mark.parametrize("answer", ["482913", "4821", "48291376", "otp 482913 tha"])
def test_an_otp_like_number_is_refused_in_every_mode(answer: str, mode: PaymentMode) -> None:
    for read in (read_transaction_id, parse_utr):
        with pytest.raises(ValidationError) as caught:
            read(answer, mode)
        assert caught.value.msgid == "error.utr.looks_like_otp"


def test_a_card_authorisation_code_with_letters_is_still_an_id() -> None:
    assert parse_utr("A1B2C3", PaymentMode.CARD) == "A1B2C3"
