"""The JSON body sent to the reporting system (docs/reporting-api.md, schema version 1).

Built from the stored complaint, not from the conversation, so what is pushed is exactly
what an operator sees with `complaints show`.
"""

from __future__ import annotations

from typing import Any

from bot.domain.places import STATES, place_by_id
from storage.base import ComplaintRecord

SCHEMA_VERSION = 1
_SUSPECT_LISTS = {"mobile": "mobiles", "upi_id": "upi_ids", "url": "urls", "other": "other"}


def build_payload(record: ComplaintRecord) -> dict[str, Any]:
    """The complaint as the contract names it; `version` is added when it is queued."""
    state = place_by_id(record["state"] or "", STATES)
    return {
        "schema_version": SCHEMA_VERSION,
        "reference": record["reference"],
        "stage": record["stage"],
        "fast_track": bool(record["fast_track"]),
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "channel": record["channel"],
        "language": record["language"],
        "category": record["category"],
        "incident_at": record["incident_at"],
        "incident_precision": record.get("incident_precision"),
        "total_amount": record["total_amount"],
        "transactions": [_transaction(tx) for tx in record["transactions"]],
        "complainant": {
            "name": record["name"],
            "mobile": record["mobile"],
            "state": state.en if state else None,
            "state_code": record["state"],
            "district": record["district"],
            "email": None,
        },
        "suspect": _suspect(record),
        "description": record["description"],
        "evidence": [
            {
                "sha256": item["sha256"],
                "mime_type": item["mime_type"],
                "size_bytes": item["size_bytes"],
                "kind": item["kind"],
            }
            for item in record["evidence"]
        ],
    }


def _suspect(record: ComplaintRecord) -> dict[str, list[Any]]:
    suspect: dict[str, list[Any]] = {
        "mobiles": [],
        "upi_ids": [],
        "bank_accounts": [],
        "urls": [],
        "other": [],
    }
    for item in record["suspect_identifiers"]:
        if item["kind"] == "bank_account":
            suspect["bank_accounts"].append({"account_number": item["value"], "ifsc": item["ifsc"]})
        else:
            suspect[_SUSPECT_LISTS.get(item["kind"], "other")].append(item["value"])
    return suspect


def _transaction(tx: Any) -> dict[str, Any]:
    return {
        "amount": tx["amount"],
        "currency": "INR",
        "mode": tx["mode"] or "other",
        "transaction_id": tx["transaction_id"],
        "bank": tx["bank"],
        "occurred_at": tx["occurred_at"],
        "occurred_precision": tx.get("occurred_precision"),
        "source": tx.get("source") or "typed",
        "account_last_digits": tx.get("account_last_digits"),
        "receiver": {
            "upi_id": tx.get("receiver_upi"),
            "account_number": tx.get("receiver_account"),
            "ifsc": tx.get("receiver_ifsc"),
            "name": tx.get("receiver_name"),
        },
    }
