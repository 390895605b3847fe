"""`python bot.py quarantine list | retry ID`: webhook bodies and updates set aside.

A body the bot could not apply after a few tries is kept for an operator, with anything
that looked like an OTP or card number removed (bot/channels/inbox.py). `list` shows
what failed and why; `retry` gives one back to the running bot once the cause is fixed.
"""

from __future__ import annotations

import argparse
import sys

from bot.domain.clock import IST
from bot.domain.masking import mask
from storage.base import Store

_SHOWN = 300  # characters of a body in the listing (personal data masked)


def add_quarantine_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    quarantine = commands.add_parser(
        "quarantine", help="webhook bodies and updates that kept failing, set aside"
    )
    actions = quarantine.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="what was set aside, when and why")
    retry = actions.add_parser("retry", help="give one back to the running bot")
    retry.add_argument("id", type=int)


def run_quarantine(store: Store, args: argparse.Namespace) -> int:
    if args.action == "retry":
        with store.transaction():
            released = store.release_quarantined(args.id)
        if not released:
            print(f"Nothing quarantined with id {args.id}", file=sys.stderr)
            return 1
        print(f"Body {args.id} released: the running bot tries it again within a minute")
        return 0
    with store.transaction():
        items = store.quarantined()
    if not items:
        print("Nothing quarantined.")
        return 0
    for item in items:
        body = mask(item.body)
        print(
            f"{item.id:>6}  {item.channel:<9} {item.quarantined_at.astimezone(IST):%Y-%m-%d %H:%M}"
            f"  attempts={item.attempts}  {item.last_error}\n"
            f"        {body[:_SHOWN]}{'…' if len(body) > _SHOWN else ''}"
        )
    return 0
