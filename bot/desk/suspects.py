"""Repeat suspects: the same UPI id, phone number, account or URL in several complaints.

Identifiers are compared by `bot.domain.suspects.suspect_key`, so `+91 98765-43210` in
one complaint and `9876543210` in another are one suspect. Counts and amounts cover every
district (a fraudster does not keep to one); links go only to complaints the operator
may open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from aiohttp import web

from bot.desk.common import desk_of, may_see, operator_of
from bot.desk.pages import page
from bot.domain.suspects import suspect_key
from storage.base import ComplaintRecord
from storage.desk_base import Operator, SuspectMention

TOP_SUSPECTS = 50


@dataclass(slots=True)
class SuspectGroup:
    """One identifier and the complaints that name it."""

    key: str
    kind: str
    value: str  # as first seen
    references: dict[str, Decimal] = field(default_factory=dict)  # reference -> amount
    districts: dict[str, str | None] = field(default_factory=dict)

    @property
    def amount(self) -> Decimal:
        return sum(self.references.values(), Decimal(0))


def group_mentions(mentions: list[SuspectMention]) -> dict[str, SuspectGroup]:
    groups: dict[str, SuspectGroup] = {}
    for mention in mentions:
        key = suspect_key(mention.kind, mention.value)
        group = groups.setdefault(key, SuspectGroup(key, mention.kind, mention.value))
        group.references[mention.reference] = mention.total_amount
        group.districts[mention.reference] = mention.district
    return groups


def repeats_for(
    record: ComplaintRecord, mentions: list[SuspectMention], operator: Operator
) -> list[dict[str, Any]]:
    """For each suspect identifier of this complaint: the other complaints naming it."""
    groups = group_mentions(mentions)
    shown: list[dict[str, Any]] = []
    seen: set[str] = set()
    for item in record["suspect_identifiers"]:
        key = suspect_key(item["kind"], item["value"])
        group = groups.get(key)
        if group is None or key in seen:
            continue
        seen.add(key)
        others = {r: a for r, a in group.references.items() if r != record["reference"]}
        shown.append(
            {
                "kind": item["kind"],
                "value": item["value"],
                "ifsc": item.get("ifsc"),
                "count": len(others),
                "amount": sum(others.values(), Decimal(0)),
                "links": [r for r in others if may_see(operator, group.districts.get(r))],
            }
        )
    return shown


def top_groups(mentions: list[SuspectMention], limit: int = TOP_SUSPECTS) -> list[SuspectGroup]:
    """Identifiers named in two or more complaints, most complaints (then money) first."""
    repeated = [g for g in group_mentions(mentions).values() if len(g.references) > 1]
    repeated.sort(key=lambda g: (-len(g.references), -g.amount, g.key))
    return repeated[:limit]


@page("suspects.html")
async def suspects_page(request: web.Request) -> dict[str, Any]:
    operator = operator_of(request)
    mentions = await desk_of(request).read(lambda store: store.suspect_mentions())
    groups = top_groups(mentions)
    return {
        "groups": groups,
        "visible": {
            g.key: [r for r in g.references if may_see(operator, g.districts.get(r))]
            for g in groups
        },
    }
