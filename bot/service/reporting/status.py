"""Status changes from the reporting system or an operator, and the notice they cause.

One function applies a change for both sources, so `complaints set-status` behaves exactly
like a callback: same validation, same ordering rule, same notice to the victim.
"""

from __future__ import annotations

from datetime import datetime

from bot.domain.errors import BotError
from bot.domain.i18n import translator
from bot.domain.reference import format_reference
from bot.domain.statuses import ComplaintStatus
from storage.base import StatusChange, Store

STATUSES = tuple(status.value for status in ComplaintStatus)
MAX_NOTE_LENGTH = 1000


class UnknownStatus(BotError):
    """The status is not one of `STATUSES`."""


class UnknownComplaint(BotError):
    """No complaint has this reference."""


def apply_status_change(
    store: Store,
    *,
    reference: str,
    status: str,
    note: str,
    updated_at: datetime,
    source: str,
    now: datetime,
) -> StatusChange | None:
    """Applies the change and queues the victim's notice in one transaction; None when
    it is not newer than the last applied change (a replay or an out-of-order call)."""
    if status not in STATUSES:
        raise UnknownStatus(status)
    note = note.strip()[:MAX_NOTE_LENGTH]
    with store.transaction():
        try:
            change = store.apply_status(
                reference, status, note, updated_at, source=source, received_at=now
            )
        except KeyError as error:
            raise UnknownComplaint(reference) from error
        if change is not None:
            store.queue_notice(change.channel, change.user_id, reference, notice_text(change), now)
    return change


def notice_text(change: StatusChange) -> str:
    """What the victim is told, in their language: the new status, what it means and
    what to do next, and the note if the police wrote one."""
    t = translator(change.language)
    text = t(
        "notice.status",
        reference=format_reference(change.reference),
        status=t(f"status.{change.status}"),
        advice=t(f"advice.{change.status}"),
    )
    if change.note:
        text += "\n" + t("notice.note", note=change.note)
    return text
