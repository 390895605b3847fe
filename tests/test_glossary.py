"""One name for one thing: the catalogs against docs/GLOSSARY.md.

The terms a message must not use are read from the glossary's marked table, so the document
translators follow and this test cannot drift apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.domain.i18n import DOMAINS, LOCALES_DIR

GLOSSARY = Path(__file__).resolve().parent.parent / "docs" / "GLOSSARY.md"
START, END = "<!-- glossary:start -->", "<!-- glossary:end -->"
# Columns of the table: concept, English, Hindi, do not use (English), do not use (Hindi).
AVOID_COLUMN = {"en": 3, "hi": 4}
# Our complaint number is never a "reference number"; nor is the bank's UTR (both have 12
# digits: a victim told about two reference numbers sends one for the other).
REFERENCE_NUMBER = re.compile(r"\breference\s*(number|no\b|id\b)", re.IGNORECASE)


def _comparable(text: str) -> str:
    """Case, Unicode form and the nukta do not matter: ट्रांज़ैक्शन is ट्रांजैक्शन."""
    return unicodedata.normalize("NFC", text).replace("\u093c", "").casefold()


def glossary_rows(text: str) -> list[list[str]]:
    """The cells of the marked table's rows (no header, no separator)."""
    assert START in text and END in text, "docs/GLOSSARY.md lost its table markers"
    table = text.split(START, 1)[1].split(END, 1)[0]
    rows = [line.strip() for line in table.splitlines() if line.strip().startswith("|")]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    header, separator, *body = cells
    assert header[AVOID_COLUMN["en"]].lower().startswith("do not use (english")
    assert header[AVOID_COLUMN["hi"]].lower().startswith("do not use (hindi")
    assert set("".join(separator)) <= {"-", ":"}
    return body


def terms_to_avoid(text: str, language: str) -> set[str]:
    column = AVOID_COLUMN[language]
    return {
        term
        for row in glossary_rows(text)
        for term in re.findall(r"`([^`]+)`", row[column] if len(row) > column else "")
    }


def messages(language: str) -> Iterator[tuple[str, str]]:
    """(id, text) of every translation in `language`, plural forms included."""
    for domain in DOMAINS:
        path = LOCALES_DIR / language / "LC_MESSAGES" / f"{domain}.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if not message.id:
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            texts = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in texts:
                yield msgid, text


def offences(found: Iterator[tuple[str, str]], avoid: set[str]) -> list[str]:
    wanted = {_comparable(term): term for term in avoid}
    return sorted(
        f"{msgid}: {term!r}"
        for msgid, text in found
        for folded, term in wanted.items()
        if folded in _comparable(text)
    )


def test_the_glossary_names_each_concept_once_in_both_languages() -> None:
    text = GLOSSARY.read_text(encoding="utf-8")
    rows = glossary_rows(text)
    assert len(rows) >= 10
    assert all(len(row) == 5 and row[1] and row[2] for row in rows)
    english = {row[1] for row in rows}
    hindi = " ".join(row[2] for row in rows)
    assert "complaint number" in english
    for required in ("शिकायत संख्या", "UTR", "लेन-देन", "ठग", "होल्ड", "बैंक खाता", "स्क्रीनशॉट"):
        assert required in hindi, required
    assert {"reference number", "debit {number}"} <= terms_to_avoid(text, "en")
    assert {"चिपका", "संदर्भ संख्या", "आईडी गया"} <= terms_to_avoid(text, "hi")


def test_english_never_calls_a_number_a_reference_number() -> None:
    """Neither our complaint number nor the bank's UTR (the SMS's "Ref No" may be quoted)."""
    found = sorted(msgid for msgid, text in messages("en") if REFERENCE_NUMBER.search(text))
    assert found == []


@pytest.mark.parametrize("language", ["en", "hi"])
def test_no_message_uses_a_term_the_glossary_replaces(language: str) -> None:
    avoid = terms_to_avoid(GLOSSARY.read_text(encoding="utf-8"), language)
    assert avoid, f"no terms to avoid read for {language}"
    assert offences(messages(language), avoid) == []


def test_the_check_catches_what_it_is_for() -> None:
    """The checks above would fail on the wording this glossary replaced."""
    text = GLOSSARY.read_text(encoding="utf-8")
    old_english = [
        ("say.registered", "Reference number: {reference}"),
        ("prompt.amount", "Debit {number}: how much money was taken?"),
    ]
    old_hindi = [
        ("prompt.utr.upi", "आप पूरा SMS भी चिपका सकते हैं।"),
        ("prompt.utr.wallet", "वॉलेट ऐप में दिखा ट्रांजैक्शन आईडी भेजें।"),  # no nukta
    ]
    assert [msgid for msgid, line in old_english if REFERENCE_NUMBER.search(line)] == [
        "say.registered"
    ]
    assert len(offences(iter(old_english), terms_to_avoid(text, "en"))) == 2
    assert len(offences(iter(old_hindi), terms_to_avoid(text, "hi"))) == 2
