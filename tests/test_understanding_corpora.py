"""The labelled corpora: every field of every SMS and every typed answer read as labelled,
no wrong value and no miss (the same scoring as `python bench/understanding.py`)."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "understanding", ROOT / "bench" / "understanding.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["understanding"] = module
    spec.loader.exec_module(module)
    return module


BENCH = _bench()


def test_every_sms_field_is_read_as_labelled() -> None:
    scores, messages = BENCH.score_sms()
    assert messages >= 80
    wrong = {name: score.wrong for name, score in scores.items() if score.wrong}
    missed = {name: score.missed for name, score in scores.items() if score.missed}
    assert wrong == {}
    assert missed == {}


@pytest.mark.parametrize("kind", sorted(BENCH.READERS))
def test_every_typed_answer_is_read_as_labelled(kind: str) -> None:
    score = BENCH.score_answers()[kind]
    assert score.wrong == []
    assert score.missed == []


def test_the_corpora_are_as_large_and_varied_as_promised() -> None:
    answers = BENCH.score_answers()
    assert sum(score.total for score in answers.values()) >= 300
    texts = []
    for path in (ROOT / "tests" / "data" / "sms").glob("*.toml"):
        with path.open("rb") as handle:
            texts += [sms["text"] for sms in tomllib.load(handle).get("sms", [])]
    issuers = ["SBI", "HDFC", "ICICI", "Axis", "Kotak", "PNB", "Bank of Baroda", "Canara",
               "Union", "IndusInd", "YES BANK", "IDFC FIRST", "Federal", "Paytm Payments Bank",
               "Airtel Payments Bank", "Google Pay", "PhonePe", "Paytm", "BHIM"]  # fmt: skip
    assert [name for name in issuers if not any(name in text for text in texts)] == []
    assert sum(any("\u0900" <= char <= "\u097f" for char in text) for text in texts) >= 8
    kinds = {"debit", "credit", "otp", "promotion"}
    labelled = set()
    for path in (ROOT / "tests" / "data" / "sms").glob("*.toml"):
        with path.open("rb") as handle:
            labelled |= {sms["kind"] for sms in tomllib.load(handle).get("sms", [])}
    assert kinds <= labelled


@pytest.mark.parametrize(
    ("expected", "sure", "actual", "actual_sure", "outcome"),
    [
        ("5000", True, "5000", True, "correct"),
        ("5000", True, "75", True, "wrong"),
        ("75000", False, "75000", True, "wrong"),  # sure where it must ask
        ("75000", False, "75000", False, "correct"),
        ("5000", True, "5000", False, "miss"),  # asks where it could be sure
        ("5000", True, None, False, "miss"),
        ("none", True, None, False, "correct"),
        ("none", True, "PATANAHI", True, "wrong"),
    ],
)
def test_the_score_tells_a_wrong_value_from_a_miss(
    expected: str, sure: bool, actual: str | None, actual_sure: bool, outcome: str
) -> None:
    assert BENCH._outcome(expected, sure, actual, actual_sure) == outcome
