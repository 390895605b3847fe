"""The catalogs: complete in Hindi and English, same placeholders, fitting the platforms."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.domain.conversation import Conversation
from bot.domain.i18n import DOMAINS, LOCALES_DIR, translator
from bot.domain.messages import ChoicePrompt, Language
from bot.domain.parsing.identifiers import PaymentMode
from bot.domain.parsing.secrets import SecretKind
from bot.service.reporting.status import STATUSES
from handlers.answers import CATEGORY_MODES
from handlers.flow import STEPS
from handlers.prompts import choices_for

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("bot", "handlers", "storage")
WHATSAPP_BUTTON_TITLE = 20
WHATSAPP_ROW_TITLE = 24


def _catalog(language: str, domain: str = "messages"):  # type: ignore[no-untyped-def]
    path = LOCALES_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _msgids_in_code() -> set[str]:
    """String literals in the code that look like catalog ids, plus the dynamic ones."""
    pattern = re.compile(
        r"""["']((?:prompt|choice|menu|say|help|error|summary|status|edit|category|mode|warning|notice|advice)\.[a-z_.]+)["']"""
    )
    found: set[str] = set()
    for folder in SOURCE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            found |= set(pattern.findall(path.read_text(encoding="utf-8")))
    found |= {f"category.{c}" for c in CATEGORY_MODES}
    found |= {f"mode.{m.value}" for m in PaymentMode}
    found |= {f"prompt.utr.{m.value}" for m in PaymentMode}
    found |= {f"warning.secret.{k.value}" for k in SecretKind}
    found |= {f"status.{s}" for s in STATUSES}
    found |= {f"advice.{s}" for s in STATUSES}
    found |= {f"edit.{f}" for f in ("suspect", "description", "name", "location", "evidence")}
    return {m for m in found if not m.endswith(".") and not m.endswith("_plural")}


@pytest.mark.parametrize("language", ["en", "hi"])
def test_every_message_the_code_uses_is_translated(language: str) -> None:
    catalog = _catalog(language)
    missing = sorted(m for m in _msgids_in_code() if not (catalog.get(m) and catalog.get(m).string))
    assert missing == []


@pytest.mark.parametrize("domain", DOMAINS)
def test_hindi_translates_every_english_message_with_the_same_placeholders(domain: str) -> None:
    english, hindi = _catalog("en", domain), _catalog("hi", domain)
    problems = []
    for message in english:
        if not message.id:
            continue
        other = hindi.get(message.id)
        if (
            other is None
            or not other.string
            or (isinstance(other.string, tuple) and not all(other.string))
        ):
            problems.append(f"{message.id}: no Hindi")
            continue
        source = message.string if isinstance(message.string, tuple) else (message.string,)
        target = other.string if isinstance(other.string, tuple) else (other.string,)
        wanted = set().union(*(_placeholders(s) for s in source))
        for text in target:
            if _placeholders(text) != wanted:
                problems.append(f"{message.id}: {_placeholders(text)} != {wanted}")
    assert problems == []
    assert {m.id for m in hindi if m.id} == {m.id for m in english if m.id}


def test_hindi_plural_forms_are_the_ones_babel_writes() -> None:
    assert _catalog("hi").plural_forms == "nplurals=2; plural=(n > 1);"
    t = translator("hi")
    assert t.plural("summary.evidence", "summary.evidence_plural", 1) == "1 स्क्रीनशॉट लगाया गया"
    assert t.plural("summary.evidence", "summary.evidence_plural", 3) == "3 स्क्रीनशॉट लगाए गए"
    assert (
        translator("en").plural("summary.evidence", "summary.evidence_plural", 1)
        == "1 screenshot attached"
    )


@pytest.mark.parametrize("domain", DOMAINS)
def test_hindi_is_addressed_politely(domain: str) -> None:
    """आप, not तुम/तू: a frightened victim is addressed with respect."""
    rude = re.compile(r"(^|\s)(तुम|तू|तुम्हारा|तुम्हें|तेरा)(\s|$|[।,?])")
    offenders = [
        m.id
        for m in _catalog("hi", domain)
        if m.id and isinstance(m.string, str) and rude.search(m.string)
    ]
    assert offenders == []


@pytest.mark.parametrize("language", list(Language))
def test_button_labels_fit_whatsapp(language: Language) -> None:
    """Steps with up to 3 buttons become reply buttons (20 characters), longer lists
    become list rows (24 characters)."""
    t = translator(language)
    state = Conversation(language=language)
    state.draft.state_code = "CG"
    too_long = []
    for step in STEPS:
        choices = choices_for(step, state, t)
        limit = WHATSAPP_BUTTON_TITLE if len(choices) <= 3 else WHATSAPP_ROW_TITLE
        too_long += [f"{step.id}: {c.label}" for c in choices if len(c.label) > limit]
    assert too_long == []


def test_choice_ids_fit_telegram_callback_data() -> None:
    state = Conversation(language=Language.EN)
    for step in STEPS:
        for choice in choices_for(step, state, translator("en")):
            assert len(choice.id.encode()) <= 64


def test_indian_number_and_date_formats() -> None:
    from datetime import datetime
    from decimal import Decimal

    from bot.domain.clock import IST

    assert translator("hi").money(Decimal("2604000")) == "₹26,04,000"
    assert translator("en").money(Decimal("1234567.5")) == "₹12,34,567.50"
    moment = datetime(2026, 11, 27, 14, 30, tzinfo=IST)
    assert translator("hi").when(moment) == "27 नवंबर 2026, दोपहर 2:30"
    assert translator("en").when(moment) == "27 Nov 2026, 2:30 pm"
    night = datetime(2026, 12, 1, 23, 23, tzinfo=IST)
    assert translator("hi").when(night) == "1 दिसंबर 2026, रात 11:23"
    assert translator("en").when(night) == "1 Dec 2026, 11:23 pm"
    assert translator("hi").when(night.replace(hour=0, minute=5)) == "1 दिसंबर 2026, रात 12:05"
    assert translator("hi").when(night.replace(hour=9)) == "1 दिसंबर 2026, सुबह 9:23"
    assert translator("hi").when(night.replace(hour=18)) == "1 दिसंबर 2026, शाम 6:23"


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_template_lists_every_message(domain: str) -> None:
    """translators start from locales/*.pot: it must not fall behind the catalogs"""
    with (LOCALES_DIR / f"{domain}.pot").open("rb") as handle:
        template = read_po(handle)
    assert {m.id for m in template if m.id} == {m.id for m in _catalog("en", domain) if m.id}


@pytest.mark.parametrize("language", list(Language))
def test_the_one_tap_confirmation_fits_whatsapp(language: Language) -> None:
    """ "I read ₹75,000 — is that right?" comes with two reply buttons."""
    from bot.domain.conversation import Unconfirmed
    from handlers.flow import FLOW
    from handlers.prompts import prompt_for

    state = Conversation(language=language, step="tx_amount")
    state.unsure = Unconfirmed(step="tx_amount", kind="amount", value="75000", why="")
    prompt = prompt_for(FLOW["tx_amount"], state, translator(language))
    assert isinstance(prompt, ChoicePrompt)
    assert "75,000" in prompt.text
    assert [len(choice.label) <= WHATSAPP_BUTTON_TITLE for choice in prompt.choices] == [True] * 2
