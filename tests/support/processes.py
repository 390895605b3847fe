"""Runs `python bot.py ...` as a real subprocess, the way an operator or a script does,
with a clean environment: the database in the test's folder, no channel tokens (so no
network), no settings leaking in from the developer's shell."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

# The console runs on the real clock, so the time of the loss is relative: "आज 3 बजे" or
# "today 3 pm" would be in the future (and rightly refused) early in an Indian day.
HINDI_LINES = [
    "नमस्ते",
    "1",  # हिंदी: the language is asked, whatever script the greeting was in
    "1",  # report fraud
    "1",  # UPI
    "2 घंटे पहले",
    "26 लाख 4 हजार",
    "1",  # yes, ₹26,04,000 is right (over ₹10 lakh: confirmed)
    "631845002917",
    "1",  # SBI
    "9876543210",
    "1",  # register -> reference number
    "quickcash@ybl",
    "हो गया",
    "मेरे साथ ठगी हुई",
    "सुनीता वर्मा",
    "1",  # Chhattisgarh
    "रायपुर",
    "छोड़ें",  # no screenshot
    "1",  # submit
]
LINES_TO_REFERENCE = 11  # HINDI_LINES up to "register": the reference number is shown

REPO = Path(__file__).resolve().parents[2]
_SETTINGS = {"DATABASE_PATH", "EVIDENCE_DIR", "LOG_LEVEL", "RESUME_AFTER_MINUTES"}
_SETTINGS |= {"MAX_ATTACHMENT_MB", "REFERENCE_KEY", "DATABASE_URL", "DATABASE_THREADS"}
# Channels refuse to start without a key; tests give one unless they pass their own
# (REFERENCE_KEY="" runs without, as the console demo on a fresh machine does).
TEST_REFERENCE_KEY = "test-reference-key-not-secret-0123"


def bot_env(db: Path, **extra: str) -> dict[str, str]:
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.upper().startswith(("TELEGRAM_", "WHATSAPP_")) and name.upper() not in _SETTINGS
    }
    env.update(
        DATABASE_PATH=str(db),
        EVIDENCE_DIR=str(db.parent / "evidence"),
        PYTHONIOENCODING="utf-8",
        REFERENCE_KEY=TEST_REFERENCE_KEY,
    )
    env.update(extra)
    return env


def run_bot(
    db: Path, *args: str, lines: Sequence[str] = (), **extra_env: str
) -> subprocess.CompletedProcess[str]:
    """`python bot.py *args` with `lines` piped to stdin; waits for it to exit."""
    return subprocess.run(
        [sys.executable, str(REPO / "bot.py"), *args],
        cwd=REPO,
        env=bot_env(db, **extra_env),
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )


class BotProcess:
    """`python bot.py *args` running in the background (asyncio), its output in a file.

    Ports are never guessed: the bot is started with `HTTP_PORT=0` and `http_url()` reads
    the port it bound from its log line "HTTP server on HOST:PORT"."""

    def __init__(self, process: asyncio.subprocess.Process, log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    @classmethod
    async def start(
        cls, db: Path, *args: str, log_path: Path | None = None, **env: str
    ) -> BotProcess:
        log_path = log_path or db.with_suffix(".log")
        with log_path.open("ab") as log:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                str(REPO / "bot.py"),
                *args,
                cwd=REPO,
                env=bot_env(db, **{"HTTP_HOST": "127.0.0.1", "HTTP_PORT": "0", **env}),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=log,
                stderr=asyncio.subprocess.STDOUT,
            )
        return cls(process, log_path)

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    async def wait_for_output(self, pattern: str, timeout: float = 30.0) -> re.Match[str]:
        """The first match of `pattern` in the output, once it appears; fails with the
        output when the process ends first or the time is up."""
        regex = re.compile(pattern)
        try:
            async with asyncio.timeout(timeout):
                while (found := regex.search(self.output())) is None:
                    if self.process.returncode is not None:
                        raise AssertionError(
                            f"bot.py exited ({self.process.returncode}):\n{self.output()}"
                        )
                    await asyncio.sleep(0.05)
        except TimeoutError:
            raise AssertionError(f"bot.py never printed {pattern!r}:\n{self.output()}") from None
        return found

    async def http_url(self) -> str:
        found = await self.wait_for_output(r"HTTP server on ([\d.]+):(\d+)")
        return f"http://{found[1]}:{found[2]}"

    async def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM, as a service manager stops it; returns the exit code."""
        if self.process.returncode is None:
            self.process.terminate()
        return await asyncio.wait_for(self.process.wait(), timeout)

    async def kill(self) -> None:
        """SIGKILL: the crash a power cut or the OOM killer causes."""
        if self.process.returncode is None:
            self.process.kill()
        await self.process.wait()
