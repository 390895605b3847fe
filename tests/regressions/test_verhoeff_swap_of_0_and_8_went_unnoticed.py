"""Regression: a mistyped row of the Verhoeff permutation table let some adjacent swaps
(e.g. 004049089357 -> 004049809357) pass the check digit. Checked exhaustively here."""

from __future__ import annotations

from bot.domain.reference import is_valid_verhoeff, verhoeff_check_digit


def test_every_adjacent_swap_at_every_position_is_detected() -> None:
    for position in range(10):  # pairs inside the 11-digit body; the check digit follows
        for a in range(10):
            for b in range(10):
                if a == b:
                    continue
                body = ["3"] * 11
                body[position], body[position + 1] = str(a), str(b)
                number = "".join(body)
                valid = number + verhoeff_check_digit(number)
                swapped = list(valid)
                swapped[position], swapped[position + 1] = swapped[position + 1], swapped[position]
                assert is_valid_verhoeff(valid)
                assert not is_valid_verhoeff("".join(swapped)), (valid, "".join(swapped))


def test_the_reported_pair() -> None:
    assert not (is_valid_verhoeff("004049089357") and is_valid_verhoeff("004049809357"))
