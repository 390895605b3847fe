"""When the library rotation sends, as pure arithmetic on Indian time.

Periods of `every_days` days are counted from a fixed Monday, so every process (and every
restart) agrees which period it is and which library message belongs to it. A period's
campaign is due from its day at the configured time; its `slot` name is unique in the
database, so it is created once even if the bot restarts or runs twice. Stale periods are
not caught up (see `CATCH_UP`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.domain.clock import IST

EPOCH = date(2024, 1, 1)  # a Monday: weekly periods start on Mondays
# A bot that was down at the hour still sends that period's message if it comes back
# within this; later, the message waits for the next period (a fresh deployment on a
# Thursday does not send Monday's message).
CATCH_UP = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class Rotation:
    every_days: int
    at: time  # Indian time of day

    def period(self, now: datetime) -> int:
        """The number of the period `now` falls in (a period starts at its day's `at`)."""
        local = now.astimezone(IST)
        days = (local.date() - EPOCH).days
        number = days // self.every_days
        if local.date() == self.start_of(number).date() and local.time() < self.at:
            number -= 1
        return number

    def start_of(self, number: int) -> datetime:
        day = EPOCH + timedelta(days=number * self.every_days)
        return datetime.combine(day, self.at, IST)

    def due(self, now: datetime) -> int | None:
        """The period whose message should be created now, if any."""
        number = self.period(now)
        return number if now - self.start_of(number) < CATCH_UP else None

    def slot(self, number: int) -> str:
        return f"rotation/{self.every_days}d/{number}"


def parse_time_of_day(value: str) -> time:
    """ "11:00" or "9:30" (24-hour, Indian time)."""
    hours, _, minutes = value.strip().partition(":")
    return time(int(hours), int(minutes or 0))
