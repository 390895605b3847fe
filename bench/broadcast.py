"""Benchmark: one awareness campaign to many Telegram subscribers, against a rate cap.

    python bench/broadcast.py [--subscribers 20000] [--cap 300] [--hindi-share 0.5]
                              [--timeout 300] [--latency-ms 0]

Builds a fresh SQLite store with N subscribers (Hindi or English by --hindi-share) plus
about 2% people who subscribed and then opted out, and one custom campaign due now.
Starts the tests' fake Bot API (tests/fake_telegram.py) with --cap-per-second CAP (it
answers 429 with retry_after beyond CAP sendMessage calls in any one-second window), then
`python bot.py` in long-polling mode with TELEGRAM_RATE_PER_SECOND=CAP, and waits until
the campaign has no pending delivery rows. From the fake's record of every sendMessage
call it prints the achieved rate (successful sends / time from first to last), rate/cap,
429s, the busiest one-second window, duplicates, misses, wrong-language messages,
messages to opted-out people, the CPU time of the bot and the fake while sending, the
machine's other CPU use and hypervisor steal (a noisy neighbour slows this latency-bound
run), and the bot's peak RSS. Exits 1 on any duplicate, miss or message to an opted-out
person (a rate below target is only reported). `--profile FILE` runs the bot under
cProfile (read FILE with pstats).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.domain.clock import ist_now  # noqa: E402
from bot.domain.messages import ConversationKey  # noqa: E402
from storage.sqlite import SqliteStore  # noqa: E402
from tests.support.fake_telegram import TOKEN  # noqa: E402
from tests.support.processes import bot_env  # noqa: E402

CHANNEL = "telegram"
FIRST_USER = 7_000_000
OPT_OUT_SHARE = 0.02
RATE_TARGET = 0.95
TEXT_EN = (
    "Benchmark campaign (English): never share an OTP or UPI PIN. Report fraud on 1930 "
    "within the golden hour."
)
TEXT_HI = "बेंचमार्क अभियान (हिंदी): कभी भी OTP या UPI पिन साझा न करें। ठगी होने पर तुरंत 1930 पर शिकायत करें।"


@dataclass
class Population:
    languages: dict[int, str]  # subscribed chat id -> hi | en
    opted_out: set[int]
    campaign_id: int


def populate(db: Path, subscribers: int, hindi_share: float) -> Population:
    """Subscribers (Hindi spread evenly by `hindi_share`), opted-out people and one
    custom campaign due now, each group in one transaction."""
    store = SqliteStore(db)
    now = ist_now()
    languages: dict[int, str] = {}
    opted_out: set[int] = set()
    try:
        with store.transaction():
            for i in range(subscribers):
                chat = FIRST_USER + i
                hindi = int((i + 1) * hindi_share) > int(i * hindi_share)
                languages[chat] = "hi" if hindi else "en"
                key = ConversationKey(CHANNEL, str(chat))
                store.set_subscription(
                    key, subscribed=True, language=languages[chat], how="bench", at=now
                )
            for j in range(round(subscribers * OPT_OUT_SHARE)):
                chat = FIRST_USER + subscribers + j
                opted_out.add(chat)
                key = ConversationKey(CHANNEL, str(chat))
                language = "hi" if j % 2 == 0 else "en"
                store.set_subscription(key, subscribed=True, language=language, how="bench", at=now)
                store.set_subscription(
                    key, subscribed=False, language=language, how="bench STOP", at=now
                )
        with store.transaction():
            campaign_id = store.create_campaign(
                kind="custom",
                created_by="bench",
                at=now,
                send_at=now,
                text_en=TEXT_EN,
                text_hi=TEXT_HI,
            )
    finally:
        store.close()
    if campaign_id is None:
        raise SystemExit("the campaign was not created")
    return Population(languages, opted_out, campaign_id)


def start_fake(cap: int, latency_ms: float, log: IO[str]) -> tuple[subprocess.Popen[str], str]:
    """The tests' fake Bot API in its own process, on a port the system picks."""
    fake = subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tests" / "support" / "fake_telegram.py"),
            "--cap-per-second",
            str(cap),
            "--latency-ms",
            str(latency_ms),
        ],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    assert fake.stdout is not None
    line = fake.stdout.readline().split()
    if len(line) != 2 or line[0] != "ready":
        fake.kill()
        raise SystemExit(f"the fake Bot API did not start: {line!r}")
    return fake, line[1]


def get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=60) as reply:
        return json.loads(reply.read())


def progress(db: Path, campaign_id: int) -> tuple[bool, dict[str, int]]:
    """(expanded, delivery rows by status) of the campaign, read without writing."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        row = conn.execute(
            "select expanded_at from campaigns where id = ?", [campaign_id]
        ).fetchone()
        counts = dict(
            conn.execute(
                "select status, count(*) from deliveries where campaign_id = ? group by status",
                [campaign_id],
            ).fetchall()
        )
    finally:
        conn.close()
    return row is not None and row[0] is not None, {str(k): int(v) for k, v in counts.items()}


def peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_seconds() -> tuple[float, float]:
    """(CPU time all processes and the kernel have used so far, on all cores; time the
    hypervisor gave the cores to someone else, "steal")."""
    ticks = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = ticks[:8]
    hertz = os.sysconf("SC_CLK_TCK")
    return (user + nice + system + irq + softirq) / hertz, steal / hertz


def busiest_second(times: list[float]) -> int:
    """Most sends in any window (t - 1 s, t], the fake's own sliding window."""
    best, start = 0, 0
    for end, moment in enumerate(times):
        while times[start] <= moment - 1.0:
            start += 1
        best = max(best, end - start + 1)
    return best


def stop(process: subprocess.Popen[str], seconds: float) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Outcome:
    """What one run left behind: the fake's record and the store's delivery rows."""

    calls: list[dict[str, Any]]
    rate_limited: int
    expanded_after: float | None  # seconds from the bot's start
    done_after: float
    rows: dict[str, int]
    rss_mb: float
    busy: tuple[float, float, float, float]  # seconds while sending: CPU of the bot, of the
    # fake, of the whole machine; hypervisor steal


def run_bot(
    workdir: Path,
    population: Population,
    cap: int,
    timeout: float,
    profile: Path | None,
    *,
    latency_ms: float = 0.0,
) -> Outcome:
    """Starts the fake and the bot, waits until no delivery row is pending (or
    `timeout`), reads the fake's record and stops both. With `profile` the bot runs
    under cProfile and writes its stats there when it stops."""
    db = workdir / "bot.db"
    with (workdir / "fake.log").open("w") as fake_log, (workdir / "bot.log").open("w") as log:
        fake, fake_url = start_fake(cap, latency_ms, fake_log)
        bot: subprocess.Popen[str] | None = None
        try:
            env = bot_env(
                db,
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE=fake_url,
                TELEGRAM_RATE_PER_SECOND=str(cap),
                TELEGRAM_POLL_TIMEOUT="1",
                AWARENESS_EVERY_DAYS="0",
                LOG_LEVEL="WARNING",
            )
            profiling = ["-m", "cProfile", "-o", str(profile)] if profile else []
            started = time.perf_counter()
            bot = subprocess.Popen(
                [sys.executable, *profiling, "bot.py"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
            expanded_after: float | None = None
            rows: dict[str, int] = {}
            cpu_at_start = (0.0, 0.0, 0.0, 0.0)
            while True:
                if bot.poll() is not None:
                    print(f"the bot exited early ({bot.returncode}); see {workdir / 'bot.log'}")
                    break
                expanded, rows = progress(db, population.campaign_id)
                if expanded and expanded_after is None:
                    expanded_after = time.perf_counter() - started
                    cpu_at_start = (
                        cpu_seconds(bot.pid),
                        cpu_seconds(fake.pid),
                        *machine_seconds(),
                    )
                if expanded and rows.get("pending", 0) == 0:
                    break
                if time.perf_counter() - started > timeout:
                    print(f"timed out after {timeout:.0f} s: {rows}")
                    break
                time.sleep(0.5)
            done_after = time.perf_counter() - started
            rss = peak_rss_mb(bot.pid)
            machine, steal = machine_seconds()
            busy = (
                cpu_seconds(bot.pid) - cpu_at_start[0],
                cpu_seconds(fake.pid) - cpu_at_start[1],
                machine - cpu_at_start[2],
                steal - cpu_at_start[3],
            )
            if expanded_after is None:  # never started sending: nothing to attribute
                busy = (float("nan"),) * 4
            calls = get_json(f"{fake_url}/_fake/calls?method=sendMessage")
            stats = get_json(f"{fake_url}/_fake/stats")
        finally:
            if bot is not None:
                stop(bot, 15)
            stop(fake, 15)
    return Outcome(calls, int(stats["rate_limited"]), expanded_after, done_after, rows, rss, busy)


def report(population: Population, outcome: Outcome, cap: int) -> tuple[list[str], bool]:
    """The printed lines, and whether anyone got a duplicate, nothing, or a message
    they had opted out of."""
    calls = outcome.calls
    ok = sorted((call for call in calls if call["ok"]), key=lambda call: call["at"])
    errors = Counter(call["error_code"] for call in calls if not call["ok"])
    received: dict[int, list[str]] = defaultdict(list)
    for call in ok:
        received[int(call["params"]["chat_id"])].append(str(call["params"]["text"]))
    times = [float(call["at"]) for call in ok]
    elapsed = times[-1] - times[0] if len(times) > 1 else 0.0
    rate = len(ok) / elapsed if elapsed else 0.0
    languages = population.languages
    duplicates = sum(1 for texts in received.values() if len(texts) > 1)
    misses = sum(1 for chat in languages if chat not in received)
    to_opted_out = sum(1 for chat in population.opted_out if chat in received)
    strangers = sum(
        1 for chat in received if chat not in languages and chat not in population.opted_out
    )
    wrong_language = sum(
        1
        for chat, texts in received.items()
        if chat in languages
        and not all(
            text.startswith(TEXT_HI if languages[chat] == "hi" else TEXT_EN) for text in texts
        )
    )
    hindi = sum(1 for language in languages.values() if language == "hi")
    ratio = rate / cap
    busy = outcome.busy
    expanded = outcome.expanded_after if outcome.expanded_after is not None else float("nan")
    core_seconds = (outcome.done_after - expanded) * (os.cpu_count() or 1)
    if not core_seconds > 0:
        core_seconds = float("nan")
    lines = [
        f"subscribers {len(languages)} ({hindi} hi, {len(languages) - hindi} en), "
        f"opted out {len(population.opted_out)}, cap {cap}/s",
        f"campaign expanded {expanded:.1f} s after the bot started; no row pending after "
        f"{outcome.done_after:.1f} s; delivery rows {outcome.rows}",
        f"sendMessage calls {len(calls)}: ok {len(ok)}, errors {dict(errors) or 0}",
        f"elapsed first to last successful send {elapsed:.2f} s",
        f"achieved rate {rate:.1f}/s",
        f"rate / cap {ratio:.3f} (target >= {RATE_TARGET})",
        f"429 responses {errors.get(429, 0)} (fake's count {outcome.rate_limited})",
        f"busiest 1-second window {busiest_second(times)} sends (cap {cap})",
        f"duplicates {duplicates}, misses {misses}, wrong language {wrong_language}, "
        f"to opted-out {to_opted_out}, to unknown chats {strangers}",
        f"CPU while sending: bot {busy[0]:.1f} s, fake Bot API {busy[1]:.1f} s"
        f" ({busy[0] / max(1, len(ok)) * 1000:.2f} and "
        f"{busy[1] / max(1, len(ok)) * 1000:.2f} ms per message)",
        f"meanwhile CPU of everything else {busy[2] - busy[0] - busy[1]:.1f} s (this script,"
        f" the kernel, other work); hypervisor steal {busy[3]:.1f} s"
        f" = {busy[3] / core_seconds:.0%} of {os.cpu_count()} cores: compare rates only"
        " from quiet runs",
        f"bot peak RSS {outcome.rss_mb:.1f} MB",
        f"rate/cap {ratio:.3f}  duplicates {duplicates}  misses {misses}",
    ]
    return lines, bool(duplicates or misses or to_opted_out)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subscribers", type=int, default=20_000)
    parser.add_argument("--cap", type=int, default=300, help="messages per second")
    parser.add_argument("--hindi-share", type=float, default=0.5)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds")
    parser.add_argument(
        "--latency-ms",
        type=float,
        default=0.0,
        help="the fake waits this long before each answer (a distant Bot API)",
    )
    parser.add_argument(
        "--profile", type=Path, default=None, help="run the bot under cProfile, stats to FILE"
    )
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-broadcast-"))
    started = time.perf_counter()
    population = populate(workdir / "bot.db", options.subscribers, options.hindi_share)
    print(
        f"store ready in {time.perf_counter() - started:.1f} s: "
        f"{len(population.languages)} subscribers, {len(population.opted_out)} opted out",
        flush=True,
    )
    profile = options.profile.resolve() if options.profile else None
    outcome = run_bot(
        workdir, population, options.cap, options.timeout, profile, latency_ms=options.latency_ms
    )
    lines, failed = report(population, outcome, options.cap)
    print("\n".join(lines))
    if failed:
        print(f"FAILED; store and logs kept in {workdir}")
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
