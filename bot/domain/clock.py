"""Indian time: the one time zone complaints, notices and schedules are read in."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

IST = ZoneInfo("Asia/Kolkata")
Clock = Callable[[], datetime]


def ist_now() -> datetime:
    return datetime.now(IST)
