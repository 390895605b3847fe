"""Names as people type them: a person's, a bank's or a district's, in any Indian script.

Kept apart from the acceptors because the rule is subtle (matras are marks, joiners are
allowed only inside Indic words) and tested on its own.
"""

from __future__ import annotations

import unicodedata

from bot.domain.errors import ValidationError

_NAME_PUNCTUATION = frozenset(" .,'&()-/")
_JOINERS = frozenset("\u200c\u200d")  # ZWNJ, ZWJ
_INDIC = range(0x0900, 0x0E00)  # Devanagari to Sinhala: the scripts of India's languages


def clean_name(text: str, msgid: str) -> str:
    """A person's, bank's or district's name: starts with a letter, then letters, vowel
    signs (Devanagari matras are marks, not letters), a little punctuation, at most two
    digits (a bank such as "AU Small Finance Bank 2" is fine, a phone number is not).
    Zero-width joiners (ZWJ, ZWNJ) are accepted inside Indic words, where keyboards put
    them to choose a conjunct's shape: "सुनीता‍वर्मा" is a name as typed."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    allowed = all(
        unicodedata.category(ch)[0] in "LMN"
        or ch in _NAME_PUNCTUATION
        or (ch in _JOINERS and _inside_indic_word(text, i))
        for i, ch in enumerate(text)
    )
    starts_with_letter = bool(text) and unicodedata.category(text[0]).startswith("L")
    digits = sum(ch.isdigit() for ch in text)
    if not (2 <= len(text) <= 80 and allowed and starts_with_letter and digits <= 2):
        raise ValidationError(msgid)
    return text


def _inside_indic_word(text: str, index: int) -> bool:
    """A joiner at `index` has an Indic letter or sign on each side (so not at either
    end, not alone, not beside a space, another joiner or Latin letters)."""
    if not 0 < index < len(text) - 1:
        return False
    return all(
        _INDIC.start <= ord(ch) < _INDIC.stop and unicodedata.category(ch)[0] in "LM"
        for ch in (text[index - 1], text[index + 1])
    )
