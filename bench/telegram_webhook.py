"""Benchmark: whole complaints through the Telegram webhook, against a bare aiogram echo bot.

    python bench/telegram_webhook.py [--users 200] [--concurrency 50] [--paced-rate 200]

Starts a fake Bot API (bench/fake_bot_api.py) in its own process, then our bot
(`python bot.py` in webhook mode, real SQLite store) in another, and drives many
simulated users through a complete Hindi complaint (17 updates each: texts, button
presses, a shared contact) over HTTP. Then the same number of updates goes to a bare
aiogram echo bot (bench/echo_bot.py) behind the same kind of webhook. Prints updates/s,
p50/p99 handling latency (time to the webhook's HTTP response), a paced run at a fixed
rate, peak RSS of our bot process, and our rate divided by the echo bot's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:BENCHMARKBENCHMARKBENCHMARK_abcdef"
SECRET = "bench-webhook-secret-0123456789"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


def _message(update_id: int, uid: int, **content: Any) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": uid, "type": "private", "first_name": "Bench"},
            "from": {"id": uid, "is_bot": False, "first_name": "Bench", "language_code": "hi"},
            **content,
        },
    }


def _press(update_id: int, uid: int, data: str) -> dict[str, Any]:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cq{update_id}",
            "from": {"id": uid, "is_bot": False, "first_name": "Bench", "language_code": "hi"},
            "chat_instance": f"ci{uid}",
            "data": data,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": uid, "type": "private"},
                "text": "…",
                "reply_markup": {"inline_keyboard": [[{"text": "…", "callback_data": data}]]},
            },
        },
    }


# A complete Hindi complaint, as a person would send it: (kind, value).
COMPLAINT: tuple[tuple[str, str], ...] = (
    ("text", "नमस्ते"),
    ("press", "report"),
    ("press", "upi"),
    ("text", "2 घंटे पहले"),
    ("text", "26 लाख 4 हजार"),
    ("text", "631845002917"),
    ("press", "sbi"),
    ("contact", "+919876543210"),
    ("press", "register"),
    ("text", "quickcash@ybl"),
    ("press", "done"),
    ("text", "किसी ने बैंक अधिकारी बनकर फ़ोन किया और ऐप डाउनलोड करवाया।"),
    ("text", "सुनीता वर्मा"),
    ("press", "CG"),
    ("press", "raipur"),
    ("press", "done"),
    ("press", "submit"),
)


class Ids:
    def __init__(self) -> None:
        self.next = 1

    def take(self) -> int:
        self.next += 1
        return self.next


def complaint_updates(uid: int, ids: Ids) -> Iterator[dict[str, Any]]:
    for kind, value in COMPLAINT:
        if kind == "press":
            yield _press(ids.take(), uid, value)
        elif kind == "contact":
            contact = {"phone_number": value, "first_name": "Bench", "user_id": uid}
            yield _message(ids.take(), uid, contact=contact)
        else:
            yield _message(ids.take(), uid, text=value)


def echo_updates(uid: int, ids: Ids) -> Iterator[dict[str, Any]]:
    for _, value in COMPLAINT:
        yield _message(ids.take(), uid, text=value)


class Run:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.errors = 0
        self.seconds = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


async def post(session: aiohttp.ClientSession, url: str, update: dict[str, Any], run: Run) -> None:
    started = time.perf_counter()
    async with session.post(url, json=update, headers=HEADERS) as reply:
        await reply.read()
        if reply.status != 200:
            run.errors += 1
    run.latencies.append(time.perf_counter() - started)


async def closed_loop(url: str, users: list[list[dict[str, Any]]], concurrency: int) -> Run:
    """Each simulated user sends their next update after the previous one is answered;
    `concurrency` users are in the middle of a complaint at any moment."""
    run = Run()
    gate = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one_user(updates: list[dict[str, Any]]) -> None:
            async with gate:
                for update in updates:
                    await post(session, url, update, run)

        started = time.perf_counter()
        await asyncio.gather(*(one_user(updates) for updates in users))
        run.seconds = time.perf_counter() - started
    return run


async def paced(url: str, users: list[list[dict[str, Any]]], rate: float) -> Run:
    """Updates arrive at a fixed rate whatever the bot does (open loop); each user's
    updates stay in order, spread across users round-robin."""
    run = Run()
    order = [u[i] for i in range(len(COMPLAINT)) for u in users]
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=500)) as session:
        started = time.perf_counter()
        tasks = []
        for n, update in enumerate(order):
            delay = started + n / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(post(session, url, update, run)))
        await asyncio.gather(*tasks)
        run.seconds = time.perf_counter() - started
    return run


def start(args: list[str]) -> tuple[subprocess.Popen[str], str]:
    """A helper process that prints "ready URL" once listening; returns it and the URL."""
    process = subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    words = process.stdout.readline().split()
    if len(words) != 2 or words[0] != "ready":
        process.kill()
        raise SystemExit(f"{args[0]} did not start: {words!r}")
    return process, words[1]


def start_bot(
    env: dict[str, str], log: Path, profile: Path | None = None
) -> tuple[subprocess.Popen[str], str]:
    """`python bot.py` on HTTP_PORT=0; its URL from the log line naming the bound port.
    With `profile`, under cProfile (stats written there when it stops)."""
    profiling = ["-m", "cProfile", "-o", str(profile)] if profile else []
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, *profiling, "bot.py"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=output,
            text=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = re.search(r"HTTP server on ([\d.]+):(\d+)", log.read_text())
        if found:
            return process, f"http://{found[1]}:{found[2]}"
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"bot.py did not start:\n{log.read_text()}")


async def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession() as session:
        while time.monotonic() < deadline:
            try:
                async with session.post(
                    url, json={}, headers={"X-Telegram-Bot-Api-Secret-Token": "x"}
                ) as reply:
                    if reply.status in (401, 403):
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far (/proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def settled(api_base: str) -> None:
    """Until the fake API has seen no call for half a second: the replies queued behind
    the last webhook answer are sent, so their CPU time is counted too."""
    last = -1
    async with aiohttp.ClientSession() as session:
        while True:
            async with session.get(f"{api_base}/stats") as reply:
                count = int((await reply.json())["count"])
            if count == last:
                return
            last = count
            await asyncio.sleep(0.5)


async def measured(
    pid: int, api_base: str, url: str, users: list[list[dict[str, Any]]], concurrency: int
) -> tuple[Run, float]:
    """The closed loop, and the bot's CPU milliseconds per update until its replies left."""
    before = cpu_seconds(pid)
    run = await closed_loop(url, users, concurrency)
    await settled(api_base)
    return run, (cpu_seconds(pid) - before) * 1000 / len(run.latencies)


def complete_complaints(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return int(
            conn.execute("select count(*) from complaints where stage = 'complete'").fetchone()[0]
        )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--paced-rate", type=float, default=200.0)
    parser.add_argument("--paced-users", type=int, default=120)
    parser.add_argument("--profile", type=Path, help="run our bot under cProfile into FILE")
    parser.add_argument(
        "--pin-echo-generics",
        action="store_true",
        help="give the echo bot the same Response[T] workaround ours has",
    )
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-telegram-"))
    fake_api, api_base = start(["bench/fake_bot_api.py"])
    processes = [fake_api]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "DATABASE_PATH": str(workdir / "bot.db"),
        "EVIDENCE_DIR": str(workdir / "evidence"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "REFERENCE_KEY": "bench-reference-key-not-secret",
        "TELEGRAM_API_BASE": api_base,
        "TELEGRAM_WEBHOOK_URL": "https://bench.example/tg",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_RATE_PER_SECOND": "1000",
        "TELEGRAM_PER_CHAT_PER_SECOND": "100",
        "HTTP_PORT": "0",
        "LOG_LEVEL": "WARNING",
    }
    try:
        bot, bot_url = start_bot(env, workdir / "bot.log", options.profile)
        processes.append(bot)
        url = f"{bot_url}/tg"
        await wait_until_up(url)
        ids = Ids()
        users = [list(complaint_updates(10_000 + n, ids)) for n in range(options.users)]
        ours, ours_cpu = await measured(bot.pid, api_base, url, users, options.concurrency)
        completed = complete_complaints(workdir / "bot.db")
        paced_users = [list(complaint_updates(50_000 + n, ids)) for n in range(options.paced_users)]
        steady = await paced(url, paced_users, options.paced_rate)
        rss = peak_rss_mb(bot.pid)

        echo_args = ["bench/echo_bot.py", "0", api_base, SECRET]
        if options.pin_echo_generics:
            echo_args.append("--pin-generics")
        echo_bot, echo_base = start(echo_args)
        processes.append(echo_bot)
        echo_url = f"{echo_base}/tg"
        await wait_until_up(echo_url)
        echo_users = [list(echo_updates(90_000 + n, ids)) for n in range(options.users)]
        echo, echo_cpu = await measured(
            echo_bot.pid, api_base, echo_url, echo_users, options.concurrency
        )
        echo_rss = peak_rss_mb(processes[-1].pid)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()

    report = [
        f"machine: {os.cpu_count()} cores; users {options.users}, "
        f"concurrency {options.concurrency}",
        f"complaints completed in the store: {completed}/{options.users}; "
        f"HTTP errors {ours.errors}",
        f"ours:  {ours.rate:8.1f} updates/s   p50 {ours.percentile(50):6.1f} ms"
        f"   p99 {ours.percentile(99):6.1f} ms",
        f"echo:  {echo.rate:8.1f} updates/s   p50 {echo.percentile(50):6.1f} ms"
        f"   p99 {echo.percentile(99):6.1f} ms",
        f"paced at {options.paced_rate:.0f}/s: achieved {steady.rate:.1f}/s"
        f"   p50 {steady.percentile(50):.1f} ms   p99 {steady.percentile(99):.1f} ms"
        f"   errors {steady.errors}",
        f"peak RSS: ours {rss:.1f} MB, echo bot {echo_rss:.1f} MB",
        f"ratio ours/echo: {ours.rate / echo.rate:.2f}",
        f"CPU per update, replies sent included: ours {ours_cpu:.2f} ms, echo {echo_cpu:.2f} ms"
        f" (ratio echo/ours {echo_cpu / ours_cpu:.2f})",
        f"mean latency: {statistics.mean(ours.latencies) * 1000:.1f} ms"
        f" over {len(ours.latencies)} updates",
    ]
    print("\n".join(report))


if __name__ == "__main__":
    asyncio.run(main())
