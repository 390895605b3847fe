"""Passwords, session tokens and the login throttle of the desk.

Passwords are hashed with Argon2id (argon2-cffi's defaults: memory-hard, so a stolen
database does not give passwords away to a graphics card). Session tokens are random
and only their SHA-256 is stored, so the database alone opens no session. Failed logins
are counted per account and per address in this process: the desk is one process, and
a restart forgetting the count costs an attacker a restart of ours, not the password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
# Verifying against this when the account does not exist takes as long as a real check,
# so the time of an answer does not tell which operator names exist.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two tokens."""
    return hmac.compare_digest(a.encode(), b.encode())


class LoginThrottle:
    """At most `limit` failed logins per account and per address within `window`
    seconds; beyond that every attempt is refused (a right password too) until the
    oldest failure leaves the window."""

    def __init__(
        self,
        limit: int = 5,
        window: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._failures: defaultdict[str, deque[float]] = defaultdict(deque)

    def _recent(self, key: str) -> deque[float]:
        failures = self._failures[key]
        cutoff = self.clock() - self.window
        while failures and failures[0] <= cutoff:
            failures.popleft()
        return failures

    def blocked(self, account: str, address: str) -> bool:
        return any(
            len(self._recent(key)) >= self.limit
            for key in (f"account:{account.casefold()}", f"address:{address}")
        )

    def failed(self, account: str, address: str) -> None:
        now = self.clock()
        for key in (f"account:{account.casefold()}", f"address:{address}"):
            self._recent(key).append(now)
        if len(self._failures) > 10_000:  # many names tried: forget the quiet ones
            for key in [k for k, v in self._failures.items() if not self._recent(k)]:
                del self._failures[key]
