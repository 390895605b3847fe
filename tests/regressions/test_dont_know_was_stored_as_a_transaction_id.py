"""Regression: at the transaction-id step of a card, net-banking, wallet or "other" debit,
"pata nahi", "nahi hai" and "dont know" were stored as ids ("PATANAHI"): any 6-35
letters passed once spaces were removed. A "don't know" is refused with its own message
(the step offers Skip), and an id always has a digit."""

from __future__ import annotations

import pytest

from bot.domain.errors import ValidationError
from bot.domain.parsing.identifiers import PaymentMode, parse_utr, read_transaction_id

MODES = [PaymentMode.CARD, PaymentMode.NETBANKING, PaymentMode.WALLET, PaymentMode.OTHER]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("answer", ["pata nahi", "nahi hai", "dont know", "पता नहीं", "idk"])
def test_dont_know_is_not_an_id(answer: str, mode: PaymentMode) -> None:
    for read in (read_transaction_id, parse_utr):
        with pytest.raises(ValidationError) as caught:
            read(answer, mode)
        assert caught.value.msgid == "error.utr.dont_know"


@pytest.mark.parametrize("mode", MODES)
def test_a_word_typed_without_spaces_is_not_an_id_either(mode: PaymentMode) -> None:
    with pytest.raises(ValidationError):
        parse_utr("PATANAHI", mode)


@pytest.mark.parametrize("mode", MODES)
def test_a_sentence_around_the_id_is_not_glued_into_it(mode: PaymentMode) -> None:
    """ "UTR hai 631845002917 dekh lo" once became "HAI631845002917DEKHLO"."""
    assert parse_utr("UTR hai 631845002917 dekh lo", mode) == "631845002917"
