"""Benchmark: whole complaints through the Telegram webhook on PostgreSQL with 1, 2 and 4
workers, and on SQLite with the one process it allows, in one run.

    python bench/workers.py [--users 200] [--concurrency 50] [--database-url postgresql:///test]

Starts the fast fake Bot API (bench/fake_bot_api.py), then for each setup the bot
workers (`python bot.py`, webhook mode), and drives simulated users through a complete
Hindi complaint (17 updates each, bench/telegram_webhook.py), each update to a random
worker as a load balancer would. Prints updates/s, p50/p99 latency (to the webhook's
answer, which comes after the message is committed) and each figure divided by the
SQLite process's. Each PostgreSQL setup gets a schema of its own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import aiohttp
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from telegram_webhook import (
    SECRET,
    TOKEN,
    Ids,
    Run,
    complaint_updates,
    cpu_seconds,
    post,
    settled,
    start,
    start_bot,
    wait_until_up,
)


async def spread(urls: list[str], users: list[list[dict[str, Any]]], concurrency: int) -> Run:
    """Closed loop as in bench/telegram_webhook.py, each update to a random worker."""
    run = Run()
    gate = asyncio.Semaphore(concurrency)
    choose = random.Random(16).choice
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one_user(updates: list[dict[str, Any]]) -> None:
            async with gate:
                for update in updates:
                    await post(session, choose(urls), update, run)

        started = time.perf_counter()
        await asyncio.gather(*(one_user(updates) for updates in users))
        run.seconds = time.perf_counter() - started
    return run


def stop(processes: list[subprocess.Popen[str]]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def postgres_cpu_seconds() -> float:
    """CPU time used so far by every PostgreSQL server process on this machine."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended meanwhile
        if "(postgres)" in text:
            total += cpu_seconds(int(stat.parent.name))
    return total


class Setup:
    """What one setup measured: the run, complaints completed, CPU per update."""

    def __init__(self, run: Run, done: int, bot_ms: float, database_ms: float) -> None:
        self.run, self.done, self.bot_ms, self.database_ms = run, done, bot_ms, database_ms


async def setup(
    name: str, workers: int, env: dict[str, str], api_base: str, options: argparse.Namespace
) -> Setup:
    """Runs one setup: complaints completed, and the workers' and the database server's
    CPU milliseconds per update until the replies have left."""
    folder = Path(tempfile.mkdtemp(prefix=f"bench-workers-{name}-"))
    env = {**env, "DATABASE_PATH": str(folder / "bot.db"), "EVIDENCE_DIR": str(folder / "ev")}
    bots, urls = [], []
    try:
        for n in range(workers):
            bot, url = start_bot(env, folder / f"worker{n}.log")
            bots.append(bot)
            urls.append(f"{url}/tg")
            await wait_until_up(urls[-1])
        ids = Ids()
        users = [list(complaint_updates(10_000 + n, ids)) for n in range(options.users)]
        before = sum(cpu_seconds(bot.pid) for bot in bots), postgres_cpu_seconds()
        run = await spread(urls, users, options.concurrency)
        await settled(api_base)
        spent = sum(cpu_seconds(bot.pid) for bot in bots) - before[0]
        database = postgres_cpu_seconds() - before[1] if "DATABASE_URL" in env else 0.0
    finally:
        stop(bots)
    updates = len(run.latencies)
    return Setup(run, completed(env, folder), spent * 1000 / updates, database * 1000 / updates)


def completed(env: dict[str, str], folder: Path) -> int:
    query = "select count(*) from complaints where stage = 'complete'"
    if "DATABASE_URL" in env:
        with psycopg.connect(env["DATABASE_URL"]) as conn:
            row = conn.execute(query).fetchone()
    else:
        with sqlite3.connect(folder / "bot.db") as lite:
            row = lite.execute(query).fetchone()
    return int(row[0]) if row else 0


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--database-url", default="postgresql:///test")
    parser.add_argument("--workers", default="1,2,4", help="PostgreSQL worker counts")
    parser.add_argument("--threads", default="4", help="DATABASE_THREADS of each worker")
    options = parser.parse_args()

    fake_api, api_base = start(["bench/fake_bot_api.py"])
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "REFERENCE_KEY": "bench-reference-key-not-secret",
        "TELEGRAM_API_BASE": api_base,
        "TELEGRAM_WEBHOOK_URL": "https://bench.example/tg",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_RATE_PER_SECOND": "1000",
        "TELEGRAM_PER_CHAT_PER_SECOND": "100",
        "AWARENESS_EVERY_DAYS": "0",
        "HTTP_PORT": "0",
        "LOG_LEVEL": "WARNING",
    }
    results: list[tuple[str, Setup]] = []
    try:
        results.append(("SQLite, 1 process", await setup("sqlite", 1, base, api_base, options)))
        for count in (int(n) for n in options.workers.split(",")):
            schema = f"bench_{secrets.token_hex(4)}"
            with psycopg.connect(options.database_url, autocommit=True) as conn:
                conn.execute(f"create schema {schema}".encode())
            separator = "&" if "?" in options.database_url else "?"
            url = f"{options.database_url}{separator}options={quote(f'-csearch_path={schema}')}"
            try:
                env = {**base, "DATABASE_URL": url, "DATABASE_THREADS": options.threads}
                measured = await setup(f"pg{count}", count, env, api_base, options)
                results.append((f"PostgreSQL, {count} worker{'s' * (count > 1)}", measured))
            finally:
                with psycopg.connect(options.database_url, autocommit=True) as conn:
                    conn.execute(f"drop schema {schema} cascade".encode())
    finally:
        stop([fake_api])
        if fake_api.stdout is not None:
            fake_api.stdout.close()

    print(
        f"machine: {os.cpu_count()} cores; {options.users} users x 17 updates, "
        f"concurrency {options.concurrency}"
    )
    sqlite = results[0][1].run
    for name, measured in results:
        run = measured.run
        p50, p99 = run.percentile(50), run.percentile(99)
        print(
            f"{name:<22} {run.rate:6.1f} updates/s (x{run.rate / sqlite.rate:.2f})"
            f"  p50 {p50:6.1f} ms (x{p50 / sqlite.percentile(50):.2f})"
            f"  p99 {p99:6.1f} ms (x{p99 / sqlite.percentile(99):.2f})"
            f"  CPU/update: bot {measured.bot_ms:.2f} ms, PostgreSQL {measured.database_ms:.2f} ms"
            f"  complete {measured.done}/{options.users}, HTTP errors {run.errors}"
        )


if __name__ == "__main__":
    asyncio.run(main())
