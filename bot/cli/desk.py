"""`python bot.py desk | operators ... | stats ...`: serving the police desk, managing
its accounts, and the district results on the command line.

Passwords are read from the terminal without echo (twice), or from standard input when
it is not a terminal (one line), so a script can create the first admin; they never
appear in arguments, where `ps` and shell history would keep them.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import signal
import sys
from collections.abc import Callable
from datetime import date
from typing import TextIO

from aiohttp import web

from bot.app import open_store
from bot.cli.output import terminal_json, terminal_text
from bot.desk.app import create_desk_app
from bot.desk.common import Backend, DeskConfig
from bot.desk.exports import results_csv
from bot.desk.results import (
    DistrictResult,
    Period,
    as_plain,
    default_period,
    district_results,
)
from bot.desk.security import MIN_PASSWORD_LENGTH, hash_password
from bot.domain.clock import ist_now
from bot.domain.errors import ConfigurationError
from bot.domain.i18n import translator
from bot.domain.places import CHHATTISGARH_DISTRICTS, find_place
from bot.service.database import runner_for
from bot.settings import Settings
from storage.base import Store
from storage.desk_base import DuplicateOperator
from storage.postgres import PostgresStore
from storage.sqlite import SqliteStore

ROLES = ("admin", "officer")


def add_desk_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    commands.add_parser("desk", help="serve the police desk on DESK_HOST:DESK_PORT")
    operators = commands.add_parser("operators", help="accounts of the police desk")
    actions = operators.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="a new operator (the password is asked)")
    add.add_argument("name")
    add.add_argument("--role", choices=ROLES, required=True)
    add.add_argument("--district", action="append", default=[], help="an officer's district")
    actions.add_parser("passwd", help="a new password (ends the operator's sessions)").add_argument(
        "name"
    )
    actions.add_parser("disable", help="no more logins (ends the sessions)").add_argument("name")
    actions.add_parser("list", help="name, role, districts, disabled")
    stats = commands.add_parser("stats", help="district results, as on the desk")
    stats.add_argument("--from", dest="start", type=date.fromisoformat, help="YYYY-MM-DD")
    stats.add_argument("--to", dest="end", type=date.fromisoformat, help="YYYY-MM-DD")
    stats.add_argument("--format", choices=("table", "csv", "json"), default="table")


def _password(stdin: TextIO) -> str | None:
    if stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != first:
            print("The two passwords differ.", file=sys.stderr)
            return None
    else:
        first = stdin.readline().rstrip("\r\n")
    if len(first) < MIN_PASSWORD_LENGTH:
        print(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.", file=sys.stderr)
        return None
    return first


def _districts(names: list[str]) -> list[str] | None:
    """Chhattisgarh's districts by their stored (English) name, in either script."""
    found = []
    for name in names:
        place = find_place(name, CHHATTISGARH_DISTRICTS)
        if place is None:
            known = ", ".join(p.en for p in CHHATTISGARH_DISTRICTS)
            print(f"Unknown district {name!r}; known: {known}", file=sys.stderr)
            return None
        found.append(place.en)
    return found


def desk_store(store: Store) -> Backend:
    """The store as the desk's: both backends keep the desk's tables."""
    if isinstance(store, SqliteStore | PostgresStore):
        return store
    raise TypeError(f"{type(store).__name__} has no desk tables")


def run_operators(store: Backend, args: argparse.Namespace, stdin: TextIO) -> int:
    now = ist_now()
    if args.action == "list":
        for op in store.operators():
            state = " (disabled)" if op.disabled else ""
            print(f"{op.name}  {op.role}  {', '.join(op.districts) or '-'}{state}")
        return 0
    if args.action == "disable":
        with store.transaction():
            done = store.disable_operator(args.name, now)
            store.audit(now, "command line", "operator-disable", detail=args.name)
        print(f"{args.name} disabled" if done else f"No operator {args.name}")
        return 0 if done else 1
    if args.action == "add":
        districts = _districts(args.district)
        if districts is None:
            return 1
        if args.role == "officer" and not districts:
            print("An officer needs at least one --district.", file=sys.stderr)
            return 1
    elif store.operator_named(args.name) is None:
        print(f"No operator {args.name}", file=sys.stderr)
        return 1
    password = _password(stdin)
    if password is None:
        return 1
    hashed = hash_password(password)
    with store.transaction():
        if args.action == "passwd":
            store.set_operator_password(args.name, hashed, now)
            store.audit(now, "command line", "operator-passwd", detail=args.name)
            print(f"Password of {args.name} changed; their sessions ended")
            return 0
        try:
            store.add_operator(args.name, hashed, args.role, districts or [], now)
        except DuplicateOperator:
            print(f"An operator {args.name} exists already.", file=sys.stderr)
            return 1
        store.audit(now, "command line", "operator-add", detail=f"{args.name} {args.role}")
    print(f"{args.name} added ({args.role})")
    return 0


def run_stats(store: Backend, args: argparse.Namespace) -> int:
    fallback = default_period(ist_now().date())
    period = Period(args.start or fallback.start, args.end or fallback.end)
    start, end = period.bounds
    with store.transaction():
        rows = store.result_rows(start, end)
    results, total = district_results(rows)
    if args.format == "csv":
        sys.stdout.write(results_csv(results, total))
    elif args.format == "json":
        document = {
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "districts": [as_plain(result) for result in results],
            "total": as_plain(total),
        }
        print(terminal_json(document))
    else:
        _print_table(results, total, period)
    return 0


_TABLE = "{:<18}{:>11}{:>16}{:>16}{:>16}{:>10}{:>12}"


def _print_table(results: list[DistrictResult], total: DistrictResult, period: Period) -> None:
    t = translator("en")
    print(f"District results {period.start} to {period.end}")
    print(
        _TABLE.format("District", "Complaints", "Lost", "Held", "Refunded", "Golden", "Median min")
    )
    for result in [*results, total]:
        name = result.district or ("Total" if result is total else "(unknown)")
        median = f"{result.median_minutes:.0f}" if result.median_minutes is not None else "-"
        golden = f"{100 * result.golden_share:.0f}%"
        money = (t.money(result.lost), t.money(result.held), t.money(result.refunded))
        print(terminal_text(_TABLE.format(name, result.complaints, *money, golden, median)))


def run_desk(settings: Settings, scrub: Callable[[str], str]) -> int:
    return asyncio.run(_serve(settings, scrub))


async def _serve(settings: Settings, scrub: Callable[[str], str]) -> int:
    """The desk until SIGINT or SIGTERM; the bot may run beside it on the database.

    Opened as the bot's store is: on SQLite it never waits for the bot's write lock on
    the event loop (its runner retries asynchronously instead); on PostgreSQL its calls
    run on the runner's threads (`bot.service.database`)."""
    try:
        store = desk_store(open_store(settings, for_bot=True))
    except ConfigurationError as error:
        print(f"Cannot start: {scrub(str(error))}", file=sys.stderr)
        return 2
    config = DeskConfig(
        evidence_dir=settings.evidence_dir,
        cookie_secure=settings.desk_cookie_secure,
        session_minutes=settings.desk_session_minutes,
    )
    app = create_desk_app(store, clock=ist_now, config=config)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.desk_host, settings.desk_port).start()
        host, port = runner.addresses[0][:2]
        print(f"Desk on http://{host}:{port}/", file=sys.stderr, flush=True)
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stopped.set)
        await stopped.wait()
    finally:
        await runner.cleanup()
        runner_for(store).close()
        store.close()
    return 0
