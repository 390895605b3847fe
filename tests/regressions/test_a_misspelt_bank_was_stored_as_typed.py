"""Regression: "hdfc bnk" was stored as typed. A known misspelling of "bank" reads as the
canonical name; a misspelt name is read loosely and must be confirmed."""

from __future__ import annotations

from bot.domain.banks import match_bank


def test_bank_misspelt_reads_as_the_canonical_name() -> None:
    reading = match_bank("hdfc bnk")
    assert reading is not None
    assert (reading.value.name, reading.sure) == ("HDFC Bank", True)


def test_a_misspelt_name_is_read_but_asked_about() -> None:
    reading = match_bank("icic bank")
    assert reading is not None
    assert (reading.value.name, reading.sure, reading.why) == (
        "ICICI Bank",
        False,
        "unsure.bank.typo",
    )
