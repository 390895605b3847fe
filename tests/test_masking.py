"""Personal identifiers never reach the logs in clear."""

from __future__ import annotations

import logging

import pytest

from bot.domain.masking import mask
from bot.logs import MaskingFilter


@pytest.mark.parametrize(
    ("text", "hidden", "kept"),
    [
        ("mobile 9876543210 registered", "9876543210", "xxxxxxxx10"),
        ("+91 98765 43210", "98765 43210", "10"),
        ("account 50100234567891 ifsc HDFC0001234", "50100234567891", "91"),
        ("paid to quickcash@ybl", "quickcash@ybl", "@ybl"),
    ],
)
def test_mask_hides_identifiers(text: str, hidden: str, kept: str) -> None:
    masked = mask(text)
    assert hidden not in masked
    assert kept in masked


def test_short_numbers_stay_readable() -> None:
    assert mask("amount 5000 at 14:30 on 27/11/2026") == "amount 5000 at 14:30 on 27/11/2026"


def test_log_records_are_masked(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.masking")
    logger.addFilter(MaskingFilter())
    with caplog.at_level(logging.INFO, logger="test.masking"):
        logger.info("complaint from %s via %s", "9876543210", "victim@okaxis")
    assert "9876543210" not in caplog.text
    assert "victim@okaxis" not in caplog.text
    assert "@okaxis" in caplog.text
