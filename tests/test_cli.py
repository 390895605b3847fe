"""The command line as people use it: a complaint piped through `bot.py console`, then
read back by an operator with `bot.py complaints ...`, each a real process."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.journeys import reference_in
from support.processes import HINDI_LINES, run_bot

from bot.domain.reference import format_reference, normalize_reference

pytestmark = pytest.mark.slow  # real bot.py processes

ENGLISH_LINES = [
    "hello",
    "2",  # English is the second language button
    "1",  # report fraud
    "1",  # UPI
    "2 hours ago",
    "26,04,000",
    "1",  # yes, ₹26,04,000 is right (a large amount is confirmed)
    "631845002917",
    "1",  # SBI
    "9876543210",
    "1",  # register -> reference number
]


@dataclass(frozen=True)
class Piped:
    db: Path
    stdout: str
    reference: str


@pytest.fixture(scope="module")
def consoles(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Piped]:
    """Tells each language's complaint to `bot.py console` through a pipe, once."""
    done: dict[str, Piped] = {}

    def told(language: str) -> Piped:
        if language not in done:
            db = tmp_path_factory.mktemp(f"cli-{language}") / "bot.db"
            lines = HINDI_LINES if language == "hindi" else ENGLISH_LINES
            result = run_bot(db, "console", lines=lines)
            assert result.returncode == 0, result.stderr
            done[language] = Piped(db, result.stdout, reference_in(result.stdout))
        return done[language]

    return told


@pytest.fixture(params=["hindi", "english"])
def piped(request: pytest.FixtureRequest, consoles: Callable[[str], Piped]) -> Piped:
    return consoles(request.param)


@pytest.fixture
def hindi(consoles: Callable[[str], Piped]) -> Piped:
    return consoles("hindi")


def show(piped: Piped, *flags: str) -> dict[str, Any]:
    result = run_bot(piped.db, "complaints", "show", piped.reference, *flags)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert isinstance(record, dict)
    return record


def test_console_echoes_the_piped_lines_and_gives_a_reference(piped: Piped) -> None:
    """Piped input is echoed, so a saved transcript reads like the conversation."""
    assert piped.stdout.splitlines()[1:2] in (["> नमस्ते"], ["> hello"])
    assert format_reference(piped.reference) in piped.stdout
    assert normalize_reference(piped.reference) == piped.reference


def test_show_prints_the_money_trail_with_the_mobile_masked(piped: Piped) -> None:
    result = run_bot(piped.db, "complaints", "show", piped.reference)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["reference"] == piped.reference
    assert record["total_amount"] == "2604000.00"
    assert record["transactions"][0]["transaction_id"] == "631845002917"
    assert record["transactions"][0]["mode"] == "upi"
    assert record["transactions"][0]["bank"] == "SBI"
    assert "9876543210" not in result.stdout
    assert record["mobile"].endswith("10")


def test_show_unmasked_reveals_the_mobile(piped: Piped) -> None:
    record = show(piped, "--unmasked")
    assert record["mobile"] == "9876543210"


def test_show_accepts_the_reference_as_read_aloud(hindi: Piped) -> None:
    """Operators copy the grouped form from a chat; it must find the same complaint."""
    result = run_bot(hindi.db, "complaints", "show", format_reference(hindi.reference))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["reference"] == hindi.reference
    unquoted = run_bot(hindi.db, "complaints", "show", *format_reference(hindi.reference).split())
    assert unquoted.returncode == 0, unquoted.stderr
    assert json.loads(unquoted.stdout)["reference"] == hindi.reference


def test_piped_hindi_complaint_is_submitted(hindi: Piped) -> None:
    """The whole Hindi script, typed "छोड़ें" (skip) at the screenshot step included,
    ends with the complaint submitted."""
    record = show(hindi, "--unmasked")
    assert record["name"] == "सुनीता वर्मा"
    assert record["district"] == "Raipur"
    assert [s["value"] for s in record["suspect_identifiers"]] == ["quickcash@ybl"]
    assert record["stage"] == "complete", hindi.stdout[-1500:]


def test_list_shows_the_grouped_reference(hindi: Piped) -> None:
    result = run_bot(hindi.db, "complaints", "list")
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert line.startswith(format_reference(hindi.reference))
    assert "2604000.00" in line
    assert "console" in line


def test_export_json_is_a_list_of_masked_complaints(hindi: Piped) -> None:
    result = run_bot(hindi.db, "complaints", "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    exported = json.loads(result.stdout)
    assert isinstance(exported, list)
    assert [record["reference"] for record in exported] == [hindi.reference]
    assert "9876543210" not in result.stdout


def test_export_csv_has_one_row_per_debit(hindi: Piped) -> None:
    result = run_bot(hindi.db, "complaints", "export", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 1
    assert rows[0]["reference"] == f'="{hindi.reference}"'  # text in a spreadsheet
    assert rows[0]["tx_transaction_id"] == '="631845002917"'
    assert rows[0]["tx_mode"] == "upi"
    assert "9876543210" not in result.stdout


def test_a_mistyped_reference_is_refused(hindi: Piped) -> None:
    """One wrong digit fails the check digit: an error, never someone else's complaint."""
    digit = hindi.reference[5]
    mistyped = hindi.reference[:5] + str((int(digit) + 1) % 10) + hindi.reference[6:]
    result = run_bot(hindi.db, "complaints", "show", mistyped)
    assert result.returncode != 0
    assert result.stdout == ""
    assert mistyped in result.stderr


def test_a_wrong_setting_stops_start_up_and_names_the_variable(tmp_path: Path) -> None:
    result = run_bot(tmp_path / "bot.db", "complaints", "list", RESUME_AFTER_MINUTES="abc")
    assert result.returncode != 0
    assert "RESUME_AFTER_MINUTES" in result.stderr
    assert result.stdout == ""
