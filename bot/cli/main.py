"""Command line: `python bot.py [console | complaints ... | outbox ... | broadcast ...]`.

With no channel configured the bot runs the console demo, so the README's run command
always shows the whole conversation on a fresh machine.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from bot.app import open_store, run_bot
from bot.cli.broadcast import add_broadcast_parser, run_broadcast
from bot.cli.database import add_database_parser, run_database
from bot.cli.desk import add_desk_parsers, desk_store, run_desk, run_operators, run_stats
from bot.cli.lock import AlreadyRunning, DatabaseLock, bot_running
from bot.cli.output import terminal_json, terminal_text, write_csv
from bot.cli.quarantine import add_quarantine_parser, run_quarantine
from bot.domain.clock import ist_now
from bot.domain.errors import ConfigurationError
from bot.domain.masking import mask
from bot.domain.reference import format_reference, normalize_reference
from bot.domain.statuses import PushStatus
from bot.logs import configure_logging
from bot.service.reporting.status import (
    STATUSES,
    RefusedChange,
    UnknownComplaint,
    apply_status_change,
)
from bot.settings import Settings, load_settings
from storage.base import Store
from storage.postgres import PostgresStore

_PERSONAL_FIELDS = ("mobile", "name", "description")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot.py", description=__doc__)
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("console", help="talk to the bot in this terminal")
    complaints = commands.add_parser("complaints", help="operator view of complaints")
    actions = complaints.add_subparsers(dest="action", required=True)
    actions.add_parser("list", help="one line per complaint")
    show = actions.add_parser("show", help="one complaint in full")
    show.add_argument("reference", nargs="+", help="12 digits; spaces allowed")
    show.add_argument("--unmasked", action="store_true", help="show personal data in clear")
    export = actions.add_parser("export", help="all complaints, for other tools")
    export.add_argument("--format", choices=("json", "csv"), default="json")
    export.add_argument("--unmasked", action="store_true", help="show personal data in clear")
    set_status = actions.add_parser(
        "set-status", help="apply a status change exactly as a reporting-system callback would"
    )
    set_status.add_argument("reference")
    set_status.add_argument("status", choices=STATUSES)
    set_status.add_argument("--note", default="", help="shown to the victim with the notice")
    set_status.add_argument(
        "--force",
        action="store_true",
        help="apply even when the recorded status time is newer (recorded as forced)",
    )
    outbox = commands.add_parser("outbox", help="pushes to the reporting system")
    outbox_actions = outbox.add_subparsers(dest="action", required=True)
    listing = outbox_actions.add_parser("list", help="queued, delivered and dead pushes")
    listing.add_argument("--status", choices=[status.value for status in PushStatus])
    retry = outbox_actions.add_parser("retry", help="queue a dead letter again")
    retry.add_argument("id", type=int)
    add_broadcast_parser(commands)
    add_quarantine_parser(commands)
    add_desk_parsers(commands)
    add_database_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Everything the bot creates (database, log, evidence) is for its own user only.
    os.umask(0o077)
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except ConfigurationError as error:
        print(f"Cannot start: {error}", file=sys.stderr)
        return 2
    masking = configure_logging(settings.log_level, settings.secret_values())
    if args.command == "db":
        return run_database(settings, args, masking.scrub)
    if args.command == "desk":
        return run_desk(settings, masking.scrub)
    if args.command not in (
        "complaints",
        "outbox",
        "broadcast",
        "quarantine",
        "operators",
        "stats",
    ):
        return _run(settings, masking.scrub)
    try:
        store = open_store(settings, for_bot=False)
    except ConfigurationError as error:
        print(f"Cannot start: {masking.scrub(str(error))}", file=sys.stderr)
        return 2
    try:
        if args.command == "operators":
            return run_operators(desk_store(store), args, sys.stdin)
        if args.command == "stats":
            return run_stats(desk_store(store), args)
        if args.command == "broadcast":
            return run_broadcast(store, args, _where(settings), _bot_running(store, settings))
        if args.command == "quarantine":
            return run_quarantine(store, args)
        if args.command == "outbox":
            return _outbox(store, args, settings)
        return _complaints(store, args)
    finally:
        store.close()


def _where(settings: Settings) -> str:
    if settings.database_url is not None:
        return "DATABASE_URL"
    return f"DATABASE_PATH={settings.database_path}"


def _bot_running(store: Store, settings: Settings) -> bool:
    if isinstance(store, PostgresStore):
        return store.role_taken("background")
    return bot_running(settings.database_path)


def _run(settings: Settings, scrub: Callable[[str], str]) -> int:
    """The bot itself: on SQLite as the only bot on its database (`bot.cli.lock`); on
    PostgreSQL beside any number of workers (`bot.service.leader`)."""
    if settings.database_url is not None:
        try:
            return asyncio.run(
                run_bot(settings, sys.stdin, sys.stdout, echo=not sys.stdin.isatty())
            )
        except ConfigurationError as error:
            print(f"Cannot start: {scrub(str(error))}", file=sys.stderr)
            return 2
    console_demo = settings.telegram_bot_token is None and not settings.whatsapp_enabled
    root = logging.getLogger()
    if console_demo and settings.log_level != "DEBUG":
        # The terminal is the conversation: routine log lines would interleave with it.
        # A service (Telegram, WhatsApp) logs at LOG_LEVEL as configured.
        root.setLevel(max(root.level, logging.WARNING))
    try:
        with DatabaseLock(settings.database_path):
            echo = not sys.stdin.isatty()
            return asyncio.run(run_bot(settings, sys.stdin, sys.stdout, echo=echo))
    except AlreadyRunning as holder:
        print(
            f"Cannot start: another bot (process {holder}) is running on "
            f"DATABASE_PATH={settings.database_path}. Two bots on one database would send "
            "every message twice: stop that one, or give this one its own DATABASE_PATH. "
            "(the complaints, outbox, quarantine and broadcast commands work beside it.)",
            file=sys.stderr,
        )
        return 2
    except ConfigurationError as error:  # e.g. the Bot API refused the webhook
        print(f"Cannot start: {scrub(str(error))}", file=sys.stderr)
        return 2


def _complaints(store: Store, args: argparse.Namespace) -> int:
    if args.action == "list":
        for record in store.iter_complaints():
            line = (
                f"{format_reference(record['reference'])}  {record['created_at'][:16]}  "
                f"{record['status']:<12} {record['stage']:<10} ₹{record['total_amount']:>14}  "
                f"{record['channel']}"
            )
            print(terminal_text(line))
        return 0
    if args.action == "set-status":
        return _set_status(store, args)
    if args.action == "show":
        typed = " ".join(args.reference)
        reference = normalize_reference(typed)
        found = store.get_complaint(reference) if reference else None
        if found is None:
            print(f"No complaint with reference {typed}", file=sys.stderr)
            return 1
        print(terminal_json(_public(found, unmasked=args.unmasked)))
        return 0
    exported = [_public(r, unmasked=args.unmasked) for r in store.iter_complaints()]
    if args.format == "json":
        print(terminal_json(exported))
    else:
        _write_csv(exported)
    return 0


def _set_status(store: Store, args: argparse.Namespace) -> int:
    reference = normalize_reference(args.reference)
    if reference is None:
        print(f"Not a valid reference (check digit): {args.reference}", file=sys.stderr)
        return 1
    now = ist_now()
    try:
        change = apply_status_change(
            store,
            reference=reference,
            status=args.status,
            note=args.note,
            updated_at=now,
            source="operator",
            now=now,
            force=args.force,
        )
    except UnknownComplaint:
        print(f"No complaint with reference {args.reference}", file=sys.stderr)
        return 1
    except RefusedChange as error:
        print(f"Not applied: {error}", file=sys.stderr)
        return 1
    if change is None:
        print(
            "Not applied: a newer status is already recorded "
            "(--force applies it anyway, e.g. to repair a wrongly dated change)",
            file=sys.stderr,
        )
        return 1
    forced = " (forced)" if args.force else ""
    print(f"{format_reference(reference)}: {args.status}{forced}; notice queued for the victim")
    return 0


def _outbox(store: Store, args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "retry":
        with store.transaction():
            again = store.retry_job(
                args.id, ist_now(), timedelta(hours=settings.reporting_max_age_hours)
            )
        if not again:
            print(f"No dead letter with id {args.id}", file=sys.stderr)
            return 1
        print(f"Push {args.id} queued again")
        return 0
    with store.transaction():
        jobs = store.list_outbox(args.status)
    for job in jobs:
        line = (
            f"{job.id:>6}  {format_reference(job.reference)}  v{job.version:<3} {job.stage:<10} "
            f"{job.status:<9} attempts={job.attempts:<3} {job.last_error or ''}"
        )
        print(terminal_text(line))  # last_error quotes the reporting system's reply
    return 0


def _public(record: dict[str, Any], *, unmasked: bool) -> dict[str, Any]:
    """The record as an operator sees it: personal data masked unless asked otherwise."""
    if unmasked:
        return record
    shown = dict(record)
    for name in _PERSONAL_FIELDS:
        if shown.get(name):
            shown[name] = mask(str(shown[name])) if name == "mobile" else "***"
    shown["suspect_identifiers"] = [
        {**item, "value": mask(item["value"])} for item in record["suspect_identifiers"]
    ]
    return shown


_CSV_COLUMNS = ["reference", "created_at", "status", "stage", "fast_track", "category"]
_CSV_COLUMNS += ["incident_at", "total_amount", "mobile", "name", "state", "district"]
_CSV_TX_COLUMNS = ["position", "amount", "mode", "transaction_id", "bank", "occurred_at"]
# Validated digit strings a spreadsheet would turn into numbers (see bot.cli.output).
_CSV_IDENTIFIERS = frozenset({"reference", "mobile", "tx_transaction_id"})


def _write_csv(records: list[dict[str, Any]]) -> None:
    """One row per transaction, complaint fields repeated: what spreadsheets want."""
    rows = (
        [record.get(column) for column in _CSV_COLUMNS]
        + [tx.get(column) for column in _CSV_TX_COLUMNS]
        for record in records
        for tx in record["transactions"] or [{}]
    )
    header = _CSV_COLUMNS + [f"tx_{column}" for column in _CSV_TX_COLUMNS]
    write_csv(sys.stdout, header, rows, _CSV_IDENTIFIERS)
