"""The storage contract of the police desk, beside `storage.base.Store`.

A backend that serves the desk implements both; the caller owns the transaction here
too, so a status change, its money rows, its audit line and the victim's notice are
committed together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol


class DuplicateOperator(Exception):
    """An operator with this name exists already."""


@dataclass(frozen=True, slots=True)
class Operator:
    id: int
    name: str
    role: str  # admin | officer
    districts: tuple[str, ...]  # an officer's; empty for an admin
    disabled: bool
    password_hash: str

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True, slots=True)
class QueueFilter:
    """What the list of complaints is narrowed to; `scope` is the officer's districts
    (None: every district, for an admin) and is applied whatever else is asked."""

    scope: tuple[str, ...] | None
    statuses: tuple[str, ...] = ()
    district: str | None = None
    category: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    references: tuple[str, ...] = ()  # a search that is a complaint number
    text: str | None = None  # UTR, mobile digits, suspect identifier, name
    mobile: str | None = None  # ten digits, when the search looks like a phone number
    offset: int = 0
    limit: int = 25


@dataclass(frozen=True, slots=True)
class QueueRow:
    reference: str
    created_at: datetime
    status: str
    stage: str
    category: str | None
    district: str | None
    total_amount: Decimal
    golden_hour: bool
    mobile: str | None
    name: str | None
    channel: str


@dataclass(frozen=True, slots=True)
class DebitMoney:
    """The money side of one debit, as the police recorded it."""

    position: int
    held_amount: Decimal = Decimal(0)
    held_bank: str = ""
    held_on: date | None = None
    refunded_amount: Decimal = Decimal(0)
    refunded_on: date | None = None


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    at: datetime
    kind: str  # registered, completed, push, status, notice, request
    detail: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    operator: str
    action: str
    reference: str | None
    detail: str
    address: str


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One complaint as the district results count it."""

    reference: str
    district: str | None
    created_at: datetime
    incident_at: datetime | None
    started_at: datetime | None
    total_amount: Decimal
    held: Decimal
    refunded: Decimal


@dataclass(frozen=True, slots=True)
class SuspectMention:
    reference: str
    kind: str
    value: str
    ifsc: str | None
    district: str | None
    total_amount: Decimal


class DeskStore(Protocol):
    # --- operators and sessions ---------------------------------------------------------

    def add_operator(
        self, name: str, password_hash: str, role: str, districts: list[str], at: datetime
    ) -> int:
        """The new operator's id; DuplicateOperator when the name is taken."""

    def operator_named(self, name: str) -> Operator | None: ...

    def operators(self) -> list[Operator]: ...

    def set_operator_password(self, name: str, password_hash: str, at: datetime) -> bool:
        """False for an unknown name; the operator's sessions end."""

    def disable_operator(self, name: str, at: datetime) -> bool:
        """False for an unknown name; the operator's sessions end."""

    def create_session(
        self, token_hash: str, operator_id: int, csrf: str, at: datetime, expires_at: datetime
    ) -> None: ...

    def session(self, token_hash: str, now: datetime) -> tuple[Operator, str] | None:
        """The operator and CSRF token of a live session of an enabled operator."""

    def end_session(self, token_hash: str) -> None: ...

    def purge_sessions(self, now: datetime) -> int: ...

    # --- audit ------------------------------------------------------------------------------

    def audit(
        self,
        at: datetime,
        operator: str,
        action: str,
        *,
        reference: str | None = None,
        detail: str = "",
        address: str = "",
    ) -> None: ...

    def audit_entries(self, *, limit: int = 100, offset: int = 0) -> list[AuditEntry]: ...

    # --- complaints -------------------------------------------------------------------------

    def queue(self, wanted: QueueFilter) -> tuple[list[QueueRow], int]:
        """One page of complaints, golden-hour ones first among the new, then newest;
        and how many match in all."""

    def timeline(self, reference: str) -> list[TimelineEntry]: ...

    def debit_money(self, reference: str) -> dict[int, DebitMoney]: ...

    def set_debit_money(
        self, reference: str, money: DebitMoney, *, by: str, at: datetime
    ) -> None: ...

    def result_rows(self, start: datetime, end: datetime) -> list[ResultRow]:
        """Complaints registered in [start, end), with the money held and refunded."""

    def suspect_mentions(self) -> list[SuspectMention]: ...
