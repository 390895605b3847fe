"""Regression: the same bank typed two ways was stored under two names in one complaint
("SBI" and "state bank of india"). Every spelling reads as the one canonical name."""

from __future__ import annotations

from bot.domain.banks import match_bank


def test_every_spelling_of_a_bank_is_one_name() -> None:
    spellings = ["SBI", "sbi bank", "state bank of india", "State Bank", "स्टेट बैंक", "एसबीआई"]
    names = set()
    for spelling in spellings:
        reading = match_bank(spelling)
        assert reading is not None and reading.sure, spelling
        names.add(reading.value.name)
    assert names == {"SBI"}
