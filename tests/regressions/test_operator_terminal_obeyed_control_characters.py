"""Regression (issue 11, low): `complaints show --unmasked` printed control characters and
bidirectional overrides from a victim's description raw, so a description could clear the
operator's screen, retitle the window or make "exe.gnp" read "png.exe". They are printed
as JSON escapes now (show, list, export --format json): the document decodes to exactly
what was stored. CSV exports keep identifiers as text and neutralise formulas."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from support.journeys import hindi_money_trail
from support.person import person_on
from support.processes import run_bot
from support.timing import Clock

from bot.cli.output import csv_cell, terminal_json, terminal_text
from bot.domain.clock import IST
from bot.service.conversation import ConversationService
from storage.sqlite import SqliteStore

HOSTILE = (
    "मेरे साथ ठगी हुई \x1b]0;pwned\x07 \x1b[2J\x1b[H फ़ाइल \u202egnp.exe\u202c देखें "
    "\x9b31m \u2066isolate\u2069 \u2028 next \U000e0041\U000e0042 \x7f end"
)
JOINED = "सुनीता\u200dवर्मा"  # a zero-width joiner is Hindi spelling, not an attack


def raw_controls(text: str) -> list[str]:
    return [
        f"U+{ord(char):04X}"
        for char in text
        if char not in "\n\u200c\u200d"
        and unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs")
    ]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    db = tmp_path_factory.mktemp("hostile") / "bot.db"
    store = SqliteStore(db)
    yesterday = (datetime.now(IST) - timedelta(days=1)).replace(hour=18, minute=0)
    person = person_on(ConversationService(store, clock=Clock(yesterday)), "hostile")

    async def tell() -> str:
        reference = await hindi_money_trail(person)
        await person.press("छोड़ें")  # no suspect details
        await person.send(HOSTILE)
        return reference

    try:
        reference = asyncio.run(tell())
        record = store.get_complaint(reference)
        assert record is not None and record["description"] == HOSTILE
    finally:
        store.close()
    return db, reference


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ("complaints", "show", "--unmasked"),
        ("complaints", "export", "--format", "json", "--unmasked"),
        ("complaints", "list"),
    ],
)
def test_operators_see_escapes_not_effects(
    seeded: tuple[Path, str], command: tuple[str, ...]
) -> None:
    db, reference = seeded
    args = (*command[:2], reference, *command[2:]) if command[1] == "show" else command
    result = run_bot(db, *args)
    assert result.returncode == 0, result.stderr
    assert raw_controls(result.stdout) == []
    if command[1] != "list":
        shown = json.loads(result.stdout)
        record = shown if isinstance(shown, dict) else shown[0]
        assert record["description"] == HOSTILE  # escaped on screen, intact as data
        assert "\\u202e" in result.stdout and "\\u001b" in result.stdout


def test_terminal_escapes_keep_joiners_and_layout() -> None:
    assert terminal_text(JOINED) == JOINED
    assert terminal_text("a\u202eb\nc") == "a\\u202eb\\u000ac"
    document = terminal_json({"name": JOINED, "text": HOSTILE, "lines": ["a", "b"]})
    assert raw_controls(document) == [] and "\n" in document
    assert json.loads(document) == {"name": JOINED, "text": HOSTILE, "lines": ["a", "b"]}


@pytest.mark.parametrize(
    ("value", "identifier", "cell"),
    [
        ("631845002917", True, '="631845002917"'),
        ("9876543210", True, '="9876543210"'),
        ("xxxxxxxx10", True, "xxxxxxxx10"),  # masked: not digits, nothing to protect
        ("=HYPERLINK(\"http://evil.example\",\"click\")", False, "'=HYPERLINK(\"http://evil.example\",\"click\")"),
        ("+91 98765", False, "'+91 98765"),
        ("-2+3", False, "'-2+3"),
        ("@SUM(A1:A9)", False, "'@SUM(A1:A9)"),
        ("\tcmd", False, "'\tcmd"),
        ("\rcmd", False, "'\rcmd"),
        ("सुनीता वर्मा", False, "सुनीता वर्मा"),
        ("2604000.00", False, "2604000.00"),
        (None, False, None),
    ],
)  # fmt: skip
def test_csv_cells(value: str | None, identifier: bool, cell: str | None) -> None:
    assert csv_cell(value, identifier=identifier) == cell


@pytest.mark.slow
def test_csv_export_keeps_identifiers_as_text_and_formulas_inert(seeded: tuple[Path, str]) -> None:
    db, reference = seeded
    result = run_bot(db, "complaints", "export", "--format", "csv", "--unmasked")
    assert result.returncode == 0, result.stderr
    [row] = list(csv.DictReader(io.StringIO(result.stdout)))
    assert row["reference"] == f'="{reference}"'
    assert row["mobile"] == '="9876543210"'
    assert row["tx_transaction_id"] == '="631845002917"'
    assert row["total_amount"] == "2604000.00"
