"""How money leaves an account: the mode decides which reference shape the bank issues.

Kept apart from the identifier parsers so that the readers of references and of whole
messages can share it without importing each other.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["PaymentMode"]


class PaymentMode(StrEnum):
    """How the money left; it decides which reference shape the bank issued."""

    UPI = "upi"
    IMPS = "imps"
    NEFT = "neft"
    RTGS = "rtgs"
    CARD = "card"
    NETBANKING = "netbanking"
    WALLET = "wallet"
    OTHER = "other"
