"""Removing what the secret screen refuses (OTPs, PINs, CVVs, passwords, card numbers) from
anything kept for later: a webhook body set aside for an operator must not keep the OTP a
frightened person typed."""

from __future__ import annotations

from typing import Any

from bot.domain.parsing.secrets import detect_secret

REMOVED = "[removed: looked like an OTP, PIN, password or card number]"


def redact_secrets(value: Any) -> Any:
    """`value` (parsed JSON) with every string the secret screen refuses replaced."""
    if isinstance(value, str):
        return REMOVED if detect_secret(value) is not None else value
    if isinstance(value, list):
        return [redact_secrets(item) for item in value]
    if isinstance(value, dict):
        return {key: redact_secrets(item) for key, item in value.items()}
    return value
