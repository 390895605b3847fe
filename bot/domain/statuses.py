"""The named states things move through, one set for every module that stores or reads
them: channels, complaint statuses, pushes to the reporting system, awareness deliveries."""

from __future__ import annotations

from enum import StrEnum


class Channel(StrEnum):
    """Where a conversation happens; the first half of every `ConversationKey`."""

    CONSOLE = "console"
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"


class ComplaintStatus(StrEnum):
    """What the police (or the reporting system) say about a complaint."""

    REGISTERED = "registered"
    SUBMITTED = "submitted"
    ASSIGNED = "assigned"
    UNDER_INVESTIGATION = "under_investigation"
    FUNDS_ON_HOLD = "funds_on_hold"
    REFUND_IN_PROGRESS = "refund_in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REJECTED = "rejected"


class PushStatus(StrEnum):
    """One version of a complaint in the outbox to the reporting system."""

    PENDING = "pending"
    DELIVERED = "delivered"
    DEAD = "dead"


class DeliveryStatus(StrEnum):
    """One awareness message to one subscriber."""

    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    UNSUBSCRIBED = "unsubscribed"
