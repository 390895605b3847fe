"""Reference numbers: the check digit catches the typos people make on a keypad."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.domain.reference import (
    REFERENCE_LENGTH,
    format_reference,
    is_valid_verhoeff,
    make_reference,
    normalize_reference,
    verhoeff_check_digit,
)

sequences = st.integers(min_value=1, max_value=10**9 - 1)
years = st.integers(min_value=2000, max_value=2099)
KEY = b"test-reference-key-0123456789"


def test_known_verhoeff_values() -> None:
    # Published example: 236 -> check digit 3.
    assert verhoeff_check_digit("236") == "3"
    assert is_valid_verhoeff("2363")
    assert not is_valid_verhoeff("2364")


@given(years, sequences)
def test_reference_shape(year: int, sequence: int) -> None:
    reference = make_reference(year, sequence, key=KEY)
    assert len(reference) == REFERENCE_LENGTH
    assert reference.isdigit()
    assert reference.startswith(f"{year % 100:02d}")
    assert normalize_reference(format_reference(reference)) == reference


@given(years, sequences, st.integers(0, REFERENCE_LENGTH - 1), st.integers(1, 9))
def test_every_single_digit_error_is_caught(
    year: int, sequence: int, position: int, shift: int
) -> None:
    reference = make_reference(year, sequence, key=KEY)
    wrong = str((int(reference[position]) + shift) % 10)
    typo = reference[:position] + wrong + reference[position + 1 :]
    assert normalize_reference(typo) is None


@given(years, sequences, st.integers(0, REFERENCE_LENGTH - 2))
def test_every_adjacent_swap_is_caught(year: int, sequence: int, position: int) -> None:
    reference = make_reference(year, sequence, key=KEY)
    a, b = reference[position], reference[position + 1]
    if a == b:
        return  # swapping equal digits changes nothing, so there is no error to catch
    swapped = reference[:position] + b + a + reference[position + 2 :]
    assert normalize_reference(swapped) is None


def test_every_single_digit_error_exhaustively_for_one_reference() -> None:
    reference = make_reference(2026, 1, key=KEY)
    for position in range(REFERENCE_LENGTH):
        for digit in "0123456789":
            if digit != reference[position]:
                typo = reference[:position] + digit + reference[position + 1 :]
                assert not is_valid_verhoeff(typo), typo


def test_sequences_map_to_distinct_references() -> None:
    references = {make_reference(2026, n, key=KEY) for n in range(1, 20_001)}
    assert len(references) == 20_000


def test_consecutive_complaints_do_not_get_consecutive_numbers() -> None:
    first, second = make_reference(2026, 1, key=KEY), make_reference(2026, 2, key=KEY)
    assert abs(int(first[2:-1]) - int(second[2:-1])) > 1000


def test_typed_forms_are_accepted() -> None:
    reference = make_reference(2026, 42, key=KEY)
    grouped = format_reference(reference)
    devanagari = reference.translate(str.maketrans("0123456789", "०१२३४५६७८९"))
    for typed in (reference, grouped, grouped.replace(" ", "-"), f" {grouped} ", devanagari):
        assert normalize_reference(typed) == reference
    assert normalize_reference(reference + "1") is None
    assert normalize_reference("abc" + reference) is None
