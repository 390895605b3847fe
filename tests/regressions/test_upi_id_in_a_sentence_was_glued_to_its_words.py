"""Regression: "uska upi abc@ybl hai" was stored as the UPI id "uskaupiabc@yblhai": the
parser removed every space before checking the shape. Words are never glued now."""

from __future__ import annotations

import pytest

from bot.domain.errors import ValidationError
from bot.domain.parsing.finding import FoundIdentifier, IdentifierKind, find_identifiers
from bot.domain.parsing.identifiers import (
    SuspectIdentifier,
    classify_suspect_identifier,
    parse_upi_id,
)


def test_the_suspect_step_reads_the_id_not_the_sentence() -> None:
    assert classify_suspect_identifier("uska upi abc@ybl hai") == SuspectIdentifier(
        "upi_id", "abc@ybl"
    )


def test_finding_identifiers_keeps_each_one_within_its_own_characters() -> None:
    assert find_identifiers("uska upi abc@ybl hai") == [
        FoundIdentifier(IdentifierKind.UPI_ID, "abc@ybl")
    ]


def test_the_upi_parser_refuses_rather_than_glue_words() -> None:
    with pytest.raises(ValidationError):
        parse_upi_id("uska upi abc@ybl hai")
