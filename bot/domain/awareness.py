"""The awareness library and how a campaign's text is put together for one subscriber.

The texts live in the `awareness` catalogs (locales/*/LC_MESSAGES/awareness.po); this
module only fixes their order for the weekly rotation and appends the common footer (how
to report, how to stop), so every message ends the same way whoever wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.i18n import translator
from bot.domain.messages import Language

LIBRARY: tuple[str, ...] = (
    "awareness.golden_hour",
    "awareness.otp_pin_cvv",
    "awareness.screen_sharing",
    "awareness.fake_customer_care",
    "awareness.kyc_electricity",
    "awareness.task_job",
    "awareness.investment_trading",
    "awareness.loan_apps",
    "awareness.sextortion",
    "awareness.recovery_agents",
    "awareness.check_suspect",
    "awareness.bank_within_3_days",
)
FOOTER = "awareness.how_to_report"
# An operator's text plus the footer must fit a WhatsApp template parameter (1,024) and
# one Telegram message (4,096).
MAX_CUSTOM_CHARS = 700


@dataclass(frozen=True, slots=True)
class Campaign:
    """An awareness message to every subscriber: a library message (by its catalog id)
    or an operator's own text in both languages."""

    id: int
    kind: str
    library_key: str | None
    text_en: str | None
    text_hi: str | None
    created_by: str
    created_at: datetime
    send_at: datetime
    expanded_at: datetime | None
    finished_at: datetime | None


def compose(campaign: Campaign, language: str) -> str:
    """The message one subscriber receives, in their language."""
    t = translator(Language(language) if language in {"hi", "en"} else Language.HI)
    if campaign.kind == "library" and campaign.library_key:
        body = t(campaign.library_key)
    else:
        own = campaign.text_hi if t.language is Language.HI else campaign.text_en
        body = (own or campaign.text_hi or campaign.text_en or "").strip()
    return f"{body}\n\n{t(FOOTER)}"


def check_custom_text(text: str, language: str) -> str:
    """An operator's text, trimmed; ValueError (naming the language) if it cannot be sent."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError(f"the {language} text is empty")
    if len(cleaned) > MAX_CUSTOM_CHARS:
        raise ValueError(
            f"the {language} text has {len(cleaned)} characters; at most {MAX_CUSTOM_CHARS}"
            " fit every channel once the footer is added"
        )
    return cleaned
