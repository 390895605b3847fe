"""Status changes from the reporting system or an operator, and the notice they cause.

One function applies a change for both sources, so `complaints set-status` behaves exactly
like a callback: same validation, same ordering rule, same notice to the victim.

The ordering rule (only a change newer than the last one applied) trusts the sender's
clock, so a change dated in the future beyond `MAX_CLOCK_SKEW` is refused: applied, a
year-9999 `updated_at` would make every later change look old and freeze the complaint.
An operator can still `force` a change past the ordering rule; it is recorded as forced.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.domain.errors import BotError
from bot.domain.i18n import translator
from bot.domain.reference import format_reference
from bot.domain.statuses import ComplaintStatus
from storage.base import StatusChange, Store

STATUSES = tuple(status.value for status in ComplaintStatus)
MAX_NOTE_LENGTH = 1000
MAX_CLOCK_SKEW = timedelta(minutes=10)
FORCED = "forced"  # appended to the source of a change an operator forced


class RefusedChange(BotError):
    """A change that cannot be applied as sent; its text says why, for the sender."""


class UnknownStatus(RefusedChange):
    """The status is not one of `STATUSES`."""

    def __init__(self, status: str) -> None:
        super().__init__(f"unknown status {status!r}")


class FutureChange(RefusedChange):
    """`updated_at` is further in the future than clocks drift apart."""

    def __init__(self, updated_at: datetime, now: datetime) -> None:
        super().__init__(
            f"updated_at {updated_at.isoformat()} is more than "
            f"{MAX_CLOCK_SKEW.total_seconds() / 60:.0f} minutes ahead of our clock "
            f"({now.isoformat(timespec='seconds')})"
        )


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
    force: bool = False,
) -> StatusChange | None:
    """Applies the change and queues the victim's notice in one transaction; None when
    it is not newer than the last applied change (a replay or an out-of-order call),
    unless `force`d. Raises a `RefusedChange` for an unknown status or a future date."""
    with store.transaction():
        return apply_status_change_within(
            store,
            reference=reference,
            status=status,
            note=note,
            updated_at=updated_at,
            source=source,
            now=now,
            force=force,
        )


def apply_status_change_within(
    store: Store,
    *,
    reference: str,
    status: str,
    note: str,
    updated_at: datetime,
    source: str,
    now: datetime,
    force: bool = False,
) -> StatusChange | None:
    """`apply_status_change` inside the caller's transaction: the desk commits the
    change with the money it records and the audit line that says who made it."""
    if status not in STATUSES:
        raise UnknownStatus(status)
    if updated_at > now + MAX_CLOCK_SKEW:
        raise FutureChange(updated_at, now)
    note = note.strip()[:MAX_NOTE_LENGTH]
    if force:
        source = f"{source}-{FORCED}"
    try:
        change = store.apply_status(
            reference, status, note, updated_at, source=source, received_at=now, force=force
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
