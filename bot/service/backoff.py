"""How long to wait before trying again: one rule for every retry in the bot.

Pushes to the reporting system, messages a platform refused, long polling after an error
and updates whose handling failed all back off exponentially with jitter, so a struggling
server is not hammered and many workers do not retry in lock-step. aiogram has a similar
`Backoff`, but the outbox and the console must not import aiogram (seconds and ~130 MB of
pydantic models), and this is a dozen lines.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Backoff:
    """`first` seconds after the first failure, times `factor` after each further one,
    at most `maximum`; with an `rng`, each delay is shortened by up to `jitter` of itself."""

    first: float
    maximum: float
    factor: float = 2.0
    jitter: float = 0.5

    def delay(self, failures: int, rng: random.Random | None = None) -> float:
        """Seconds to wait after `failures` failures in a row (0: after the first)."""
        ceiling = min(self.first * self.factor ** min(max(failures, 0), 64), self.maximum)
        if rng is None:
            return ceiling
        return ceiling * (1 - self.jitter * rng.random())


# Pushes to the reporting system: 2 s, 4 s, 8 s ... up to 10 minutes.
PUSH_RETRY = Backoff(first=2.0, maximum=600.0)
# A platform call that failed for no stated reason (a reset, a 5xx): 2 s, 4 s ... 1 min.
SEND_RETRY = Backoff(first=2.0, maximum=60.0)
# Long polling after getUpdates failed: 1 s, 2 s ... 30 s.
POLL_RETRY = Backoff(first=1.0, maximum=30.0)
# An update whose handling failed, fetched again: 1 s, 2 s.
UPDATE_RETRY = Backoff(first=1.0, maximum=4.0)
