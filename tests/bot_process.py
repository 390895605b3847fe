"""Runs `python bot.py ...` as a real subprocess, the way an operator or a script does,
with a clean environment: the database in the test's folder, no channel tokens (so no
network), no settings leaking in from the developer's shell."""

from __future__ import annotations

import os
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

REPO = Path(__file__).resolve().parent.parent
_SETTINGS = {"DATABASE_PATH", "EVIDENCE_DIR", "LOG_LEVEL", "RESUME_AFTER_MINUTES"}
_SETTINGS |= {"MAX_ATTACHMENT_MB"}


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
        **extra,
    )
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
