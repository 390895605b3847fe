"""Complaint reference numbers: 12 digits, the last a Verhoeff check digit.

Why this shape: victims type references on a phone keypad and read them aloud to a 1930
operator, so digits only, short, grouped in fours. The Verhoeff check digit catches every
single-digit error and every swap of two neighbouring digits, so a mistyped reference is
rejected before any lookup (and never finds someone else's complaint by accident).

Layout: ``YY`` (year of registration) + 9 scrambled sequence digits + check digit. The
sequence comes from a counter in the database, then goes through an affine bijection
modulo 10**9 so consecutive complaints do not get consecutive numbers (volume stays private
and guessing a neighbour's reference is pointless).
"""

from __future__ import annotations

from bot.domain.parsing.digits import to_ascii_digits

REFERENCE_LENGTH = 12
_SEQUENCE_SPACE = 10**9
_MULTIPLIER = 387_420_489  # 3**18: coprime with 10**9, so the mapping is a bijection
_OFFSET = 104_729

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


def make_reference(year: int, sequence: int) -> str:
    """Reference for the `sequence`-th complaint of `year` (sequence counts from 1)."""
    if not 0 < sequence < _SEQUENCE_SPACE:
        raise ValueError("reference sequence out of range")
    scrambled = (sequence * _MULTIPLIER + _OFFSET) % _SEQUENCE_SPACE
    body = f"{year % 100:02d}{scrambled:09d}"
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
