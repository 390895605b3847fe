"""Complaint reference numbers: 12 digits, the last a Verhoeff check digit.

Why this shape: victims type references on a phone keypad and read them aloud to a 1930
operator, so digits only, short, grouped in fours. The Verhoeff check digit catches every
single-digit error and every swap of two neighbouring digits, so a mistyped reference is
rejected before any lookup (and never finds someone else's complaint by accident).

Layout: ``YY`` (year of registration) + 9 digits + check digit. The 9 digits are the
per-year sequence number from a counter in the database, put through a keyed permutation
of 0..10**9-1 (`permute`): without the secret REFERENCE_KEY, a number says nothing about
how many complaints came before it, and a known number says nothing about its neighbours.
"""

from __future__ import annotations

import hashlib
import hmac

from bot.domain.parsing.digits import to_ascii_digits

REFERENCE_LENGTH = 12
_SEQUENCE_SPACE = 10**9
# The console demo's key when REFERENCE_KEY is unset. It is public (it is right here), so
# numbers made with it can be enumerated: settings refuse to run a channel without a key.
DEMO_REFERENCE_KEY = b"console demo: not a secret, set REFERENCE_KEY"
_HALF = 31_623  # the smallest n with n * n >= 10**9: each Feistel half is a digit of base n
_ROUNDS = 10  # small halves need more rounds than the textbook four (Patarin's bounds)

# Verhoeff tables: dihedral group D5 multiplication, position permutation, inverse.
_D = (
    (0, 1, 2, 3, 4, 5, 6, 7, 8, 9),
    (1, 2, 3, 4, 0, 6, 7, 8, 9, 5),
    (2, 3, 4, 0, 1, 7, 8, 9, 5, 6),
    (3, 4, 0, 1, 2, 8, 9, 5, 6, 7),
    (4, 0, 1, 2, 3, 9, 5, 6, 7, 8),
    (5, 9, 8, 7, 6, 0, 4, 3, 2, 1),
    (6, 5, 9, 8, 7, 1, 0, 4, 3, 2),
    (7, 6, 5, 9, 8, 2, 1, 0, 4, 3),
    (8, 7, 6, 5, 9, 3, 2, 1, 0, 4),
    (9, 8, 7, 6, 5, 4, 3, 2, 1, 0),
)
_SIGMA = (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)  # Verhoeff's position permutation


def _powers_of_sigma() -> tuple[tuple[int, ...], ...]:
    """Rows p[i] = sigma**i, computed rather than copied so no table typo can creep in."""
    rows = [tuple(range(10))]
    for _ in range(7):
        rows.append(tuple(_SIGMA[digit] for digit in rows[-1]))
    return tuple(rows)


_P = _powers_of_sigma()
_INV = (0, 4, 3, 2, 1, 5, 6, 7, 8, 9)


def verhoeff_check_digit(digits: str) -> str:
    """The digit to append to `digits` so that `is_valid_verhoeff` holds."""
    checksum = 0
    for position, char in enumerate(reversed(digits), start=1):
        checksum = _D[checksum][_P[position % 8][int(char)]]
    return str(_INV[checksum])


def is_valid_verhoeff(digits: str) -> bool:
    if not digits.isdigit() or not digits.isascii():
        return False
    checksum = 0
    for position, char in enumerate(reversed(digits)):
        checksum = _D[checksum][_P[position % 8][int(char)]]
    return checksum == 0


def permute(value: int, *, key: bytes, tweak: int) -> int:
    """A keyed permutation of 0..10**9-1: a Feistel network over two halves in base
    31,623 (the round function is HMAC-SHA256 of key, tweak, round and half), walked
    along its cycle until the value lands back below 10**9 (on average 1.00001 steps).

    Our own twenty lines rather than a library: format-preserving encryption is not in
    the standard library or our dependencies (pyca/cryptography has no FF1/FF3), the
    small FPE packages are unmaintained, and what is needed here is modest and easy to
    audit: numbers that cannot be told from random without the key, not the secrecy of
    a message. The `tweak` (the year) gives every year its own permutation.
    """
    if not 0 <= value < _SEQUENCE_SPACE:
        raise ValueError("value out of range")
    while True:
        left, right = divmod(value, _HALF)
        for round_number in range(_ROUNDS):
            left, right = right, (left + _round(key, tweak, round_number, right)) % _HALF
        value = left * _HALF + right
        if value < _SEQUENCE_SPACE:
            return value


def _round(key: bytes, tweak: int, round_number: int, half: int) -> int:
    message = f"{tweak}:{round_number}:{half}".encode()
    return int.from_bytes(hmac.digest(key, message, hashlib.sha256)[:8], "big") % _HALF


def make_reference(year: int, sequence: int, *, key: bytes) -> str:
    """Reference for the `sequence`-th complaint of `year` (sequence counts from 1)."""
    if not 0 < sequence < _SEQUENCE_SPACE:
        raise ValueError("reference sequence out of range")
    body = f"{year % 100:02d}{permute(sequence, key=key, tweak=year):09d}"
    return body + verhoeff_check_digit(body)


def normalize_reference(text: str) -> str | None:
    """Digits of a typed reference (spaces, dashes, Devanagari digits allowed), or None
    when it cannot be one of ours: wrong length or a failing check digit."""
    digits = "".join(ch for ch in to_ascii_digits(text) if ch.isdigit())
    stripped = "".join(ch for ch in to_ascii_digits(text) if not ch.isspace() and ch not in "-./")
    if stripped != digits or len(digits) != REFERENCE_LENGTH:
        return None
    return digits if is_valid_verhoeff(digits) else None


def format_reference(reference: str) -> str:
    """Grouped in fours for reading aloud: 2612 3456 7890."""
    return " ".join(reference[i : i + 4] for i in range(0, len(reference), 4))
