"""OCR text of a payment screen, cleaned into lines a field reader can trust.

Tesseract's mistakes on app screens are regular: a digit group gets a letter O for a
zero or an l for a one, the rupee sign becomes "2", "%", "~" or a Devanagari letter,
and a label's Latin word is sometimes read in Devanagari. So the lines keep their
letters as read (a letter is never turned into a digit in a word), and only tokens that
are already nearly all digits have O and l/I/| mended. Devanagari digits are *not*
folded: Indian payment apps print Latin digits even in Hindi, so a Devanagari digit on
a screen is a misread letter, and reading it as a number would invent a value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["MAX_LINE_CHARS", "ScreenLines", "mend_digits"]

# A phone screen's line holds some 40 characters; a far longer "line" is not a screen's
# (and dropping it keeps every reader's work linear in the text).
MAX_LINE_CHARS = 200

# A token that is digits with at most a few look-alike letters: "2O26", "63l2", "1,5OO".
_NUMERIC_TOKEN_RE = re.compile(
    r"(?P<head>(?:.*[^0-9OoIl|,.:/\-])?)(?P<number>[0-9OoIl|,.:/\-]*[0-9][0-9OoIl|,.:/\-]*)"
)
_LOOK_ALIKES = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})
_SPACES_RE = re.compile(r"[ \t\u00a0]+")
# OCR renders a thin space or a stray accent between characters now and then.
_INVISIBLE_RE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")


def mend_digits(token: str) -> str:
    """Mend O→0 and l/I/|→1 in a token's number part ("₹1,5OO": after the rupee sign)
    when its characters are at least 3/4 digits.

    "2O26" and "63l2" are numbers with one misread digit; "Oct" or "IFSC" are words
    and are left alone because they are mostly letters.
    """
    match = _NUMERIC_TOKEN_RE.fullmatch(token)
    if match is None:
        return token
    number = match["number"]
    digits = sum(char.isdigit() for char in number)
    letters = sum(char in "OoIl|" for char in number)
    if letters == 0 or digits < 3 * letters:
        return token
    return match["head"] + number.translate(_LOOK_ALIKES)


def _clean(line: str) -> str:
    normalised = _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", line))
    tokens = _SPACES_RE.sub(" ", normalised).strip().split(" ")
    return " ".join(mend_digits(token) for token in tokens)


@dataclass(frozen=True, slots=True)
class ScreenLines:
    """The non-empty lines of a screen, in reading order, each also in lower case for
    matching labels (an offset found in a folded line points into the line as read,
    except in the rare line whose case folding changes its length)."""

    lines: tuple[str, ...]
    folded: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> ScreenLines:
        lines = tuple(
            clean
            for line in text.splitlines()
            if (clean := _clean(line)) and len(clean) <= MAX_LINE_CHARS
        )
        folded = tuple(line.casefold() for line in lines)
        return cls(lines, folded)

    def after(self, index: int, start: int) -> list[str]:
        """The rest of line `index` from `start`, then the next line: where a value sits
        beside its label (a row) or under it (a stack)."""
        line = self.lines[index]
        found = [(line if len(line) == len(self.folded[index]) else self.folded[index])[start:]]
        if index + 1 < len(self.lines):
            found.append(self.lines[index + 1])
        return found

    def text(self) -> str:
        return "\n".join(self.lines)
