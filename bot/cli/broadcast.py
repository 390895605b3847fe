"""`python bot.py broadcast send | status`: operators' awareness campaigns.

The running bot (same DATABASE_PATH) does the sending, so one process owns each
platform's rate limit and replies to victims always go first. `send` only records the
campaign and then follows its delivery rows with a progress bar; stopping it (Ctrl-C)
stops the watching, not the campaign. With no bot on the database (`bot.cli.lock`) there
is nothing to watch: `send` says so and exits; likewise when the running bot has not
picked the campaign up after a few seconds (the console demo sends no campaigns).
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Never

from tqdm import tqdm

from bot.domain.awareness import check_custom_text
from bot.domain.clock import IST, ist_now
from storage.base import CampaignProgress, Store

_WATCH_SECONDS = 0.5
_PICKUP_SECONDS = 10.0  # a running bot looks for due campaigns every 2 s
_FOLLOW = "Follow it with: python bot.py broadcast status"


def add_broadcast_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    broadcast = commands.add_parser("broadcast", help="awareness campaigns to all subscribers")
    actions = broadcast.add_subparsers(dest="action", required=True)
    send = actions.add_parser("send", help="send your own awareness message to every subscriber")
    send.add_argument("--en", type=Path, required=True, help="file with the English text")
    send.add_argument("--hi", type=Path, required=True, help="file with the Hindi text")
    send.add_argument(
        "--at", help='when, in Indian time: "HH:MM" (next occurrence) or "YYYY-MM-DD HH:MM"'
    )
    send.add_argument(
        "--no-wait", action="store_true", help="record the campaign and exit without watching"
    )
    actions.add_parser("status", help="sent / pending / failed / unsubscribed per campaign")


def parse_when(value: str, now: datetime) -> datetime:
    """`--at`: "11:00" is the next 11:00 in India, "2026-12-01 11:00" that moment."""
    text = value.strip()
    try:
        if len(text) <= 5:
            hours, _, minutes = text.partition(":")
            moment = now.astimezone(IST).replace(
                hour=int(hours), minute=int(minutes or 0), second=0, microsecond=0
            )
            return moment if moment > now else moment + timedelta(days=1)
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f'--at {value!r}: use "HH:MM" or "YYYY-MM-DD HH:MM"') from error
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=IST)


def run_broadcast(store: Store, args: argparse.Namespace, where: str, running: bool) -> int:
    """`where` names the database for messages; `running`: a bot serves it now."""
    if args.action == "status":
        print_status(store)
        return 0
    now = ist_now()
    try:
        english = check_custom_text(args.en.read_text(encoding="utf-8"), "English")
        hindi = check_custom_text(args.hi.read_text(encoding="utf-8"), "Hindi")
        send_at = parse_when(args.at, now) if args.at else now
    except (OSError, UnicodeDecodeError, ValueError) as error:
        print(f"Cannot send: {error}", file=sys.stderr)
        return 2
    with store.transaction():
        campaign_id = store.create_campaign(
            kind="custom", text_en=english, text_hi=hindi, created_by="cli", at=now, send_at=send_at
        )
        subscribers = store.subscriber_count()
    assert campaign_id is not None
    print(
        f"Campaign {campaign_id}: {subscribers} subscribers now, "
        f"sending from {send_at.astimezone(IST):%d %b %Y %H:%M} IST by the running bot."
    )
    if not running:
        print(
            f"No bot is running on {where}: the campaign is recorded and "
            "goes out once the bot runs with a Telegram or WhatsApp token. " + _FOLLOW
        )
        return 0
    if args.no_wait or send_at > now + timedelta(seconds=5):
        print(_FOLLOW)
        return 0
    return watch(store, campaign_id)


def watch(store: Store, campaign_id: int) -> int:
    """A progress bar over the campaign's delivery rows until none is pending."""
    started = time.monotonic()
    bar: tqdm[Never] | None = None
    try:
        while True:
            with store.transaction():
                [progress] = store.campaign_progress([campaign_id])
            if progress.campaign.expanded_at is None:
                if time.monotonic() - started > _PICKUP_SECONDS:
                    print(
                        f"The running bot has not picked the campaign up in "
                        f"{_PICKUP_SECONDS:.0f} s: does it have a Telegram or WhatsApp token "
                        "(the console demo sends no campaigns)? The campaign stays recorded "
                        "and goes out once such a bot runs. " + _FOLLOW
                    )
                    return 0
                time.sleep(_WATCH_SECONDS)
                continue
            if bar is None:
                bar = tqdm(total=progress.total, unit="msg", desc=f"campaign {campaign_id}")
            bar.n = progress.total - progress.counts["pending"]
            bar.set_postfix(_postfix(progress), refresh=False)
            bar.refresh()
            if progress.counts["pending"] == 0:
                bar.close()
                print(_summary(progress))
                return 0
            time.sleep(_WATCH_SECONDS)
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        print("Stopped watching; the bot keeps sending. See: python bot.py broadcast status")
        return 0


def print_status(store: Store) -> None:
    with store.transaction():
        campaigns = store.campaign_progress()
    if not campaigns:
        print("No campaigns yet.")
        return
    print(
        f"{'id':>4}  {'what':<32} {'send at (IST)':<17} {'total':>6} {'sent':>6} "
        f"{'pending':>7} {'failed':>6} {'unsubscribed':>12}  state"
    )
    for progress in campaigns:
        campaign = progress.campaign
        what = campaign.library_key or f"custom ({campaign.created_by})"
        state = (
            "finished"
            if campaign.finished_at
            else "sending"
            if campaign.expanded_at
            else "scheduled"
        )
        counts = progress.counts
        print(
            f"{campaign.id:>4}  {what[:32]:<32} {campaign.send_at.astimezone(IST):%Y-%m-%d %H:%M} "
            f"{progress.total:>6} {counts['sent']:>6} {counts['pending']:>7} "
            f"{counts['failed']:>6} {counts['unsubscribed']:>12}  {state}"
        )


def _postfix(progress: CampaignProgress) -> dict[str, int]:
    return {k: v for k, v in progress.counts.items() if k != "pending"}


def _summary(progress: CampaignProgress) -> str:
    counts = progress.counts
    return (
        f"Campaign {progress.campaign.id} done: {counts['sent']} sent, "
        f"{counts['failed']} failed, {counts['unsubscribed']} unsubscribed."
    )
