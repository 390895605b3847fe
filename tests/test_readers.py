"""The readers of free text beyond the corpora: their catalog messages, the rules that
keep a reply from swallowing a description, several SMS in one message, inert links."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.domain.banks import DIRECTORY, bank_by_ifsc, banks_named_in, match_bank
from bot.domain.clock import IST
from bot.domain.i18n import LOCALES_DIR
from bot.domain.parsing.finding import inert_url
from bot.domain.parsing.replies import MAX_REPLY_WORDS, Reply, read_reply
from bot.domain.parsing.sms import looks_like_payment_text, read_payment_texts
from bot.domain.payments import MessageKind
from bot.domain.places import CHHATTISGARH_DISTRICTS, find_place, read_place

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=IST)


def _ids_in_domain(prefix: str) -> set[str]:
    pattern = re.compile(rf"""["']({prefix}\.[a-z_.]+)["']""")
    found: set[str] = set()
    for path in (ROOT / "bot" / "domain").rglob("*.py"):
        found |= set(pattern.findall(path.read_text(encoding="utf-8")))
    return found


@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_why_of_an_unsure_reading_is_translated(language: str) -> None:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale=language)
    whys = _ids_in_domain("unsure")
    assert len(whys) >= 10
    assert sorted(m for m in whys if not (catalog.get(m) and catalog.get(m).string)) == []


def test_a_reply_is_the_whole_answer() -> None:
    assert read_reply("pata nahi") is Reply.DONT_KNOW
    assert read_reply("mujhe pata nahi tha ki wo fraud hai") is None
    assert read_reply(" ".join(["haan"] * (MAX_REPLY_WORDS + 1))) is None
    assert read_reply("nahi") is Reply.NO
    assert read_reply("nahi hai") is Reply.DONT_KNOW


def test_apps_are_not_banks_and_ifsc_names_the_bank() -> None:
    phonepe = match_bank("phonepe")
    assert phonepe is not None and phonepe.value.is_app
    assert not match_bank("sbi").value.is_app  # type: ignore[union-attr]
    assert bank_by_ifsc("HDFC0001234") == match_bank("hdfc").value  # type: ignore[union-attr]
    assert [bank.name for bank in banks_named_in("paid via phonepe from sbi")] == [
        "PhonePe",
        "SBI",
    ]
    assert len({bank.id for bank in DIRECTORY}) == len(DIRECTORY)
    assert len({bank.name for bank in DIRECTORY}) == len(DIRECTORY)


def test_find_place_never_returns_a_loose_reading() -> None:
    loose = read_place("Raipr", CHHATTISGARH_DISTRICTS)
    assert loose is not None and not loose.sure
    assert find_place("Raipr", CHHATTISGARH_DISTRICTS) is None
    assert find_place("raipur", CHHATTISGARH_DISTRICTS) is not None


def test_two_sms_are_two_debits_and_the_same_utr_once() -> None:
    one = "A/C X4821 debited by 2500.0 on date 27Nov26 trf to RAMESH K Refno 633112345001 -SBI"
    two = "A/C X4821 debited by 4000.0 on date 27Nov26 trf to RAMESH K Refno 633112345002 -SBI"
    assert [p.reference for p in read_payment_texts(f"{one}\n{two}", NOW)] == [
        "633112345001",
        "633112345002",
    ]
    assert len(read_payment_texts(f"{one}\n\n{one}", NOW)) == 1


def test_an_otp_sms_carries_nothing_but_its_kind() -> None:
    (otp,) = read_payment_texts("482913 is your OTP for txn of Rs 5000 at SHOP. Do not share", NOW)
    assert otp.kind is MessageKind.OTP
    assert (otp.amount, otp.reference, otp.bank) == (None, None, None)


def test_ordinary_answers_are_not_payment_texts() -> None:
    for answer in ("5000", "kal shaam", "hdfc", "mere account se 5000 kat gaye", ""):
        assert not looks_like_payment_text(answer, NOW)


def test_links_are_shown_inert() -> None:
    assert inert_url("https://quick-loan.example/apply") == "hxxps://quick-loan[.]example/apply"
    assert inert_url("www.fraud.in") == "www[.]fraud[.]in"
