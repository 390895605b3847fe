"""Small named exceptions with a common root.

Validation errors carry a catalog message id and its parameters instead of text, so
the conversation core never decides the language: the edge translates them.
"""

from __future__ import annotations


class BotError(Exception):
    """Root of every error this project raises on purpose."""


class ValidationError(BotError):
    """An answer that cannot be accepted; `msgid` names the catalog message explaining why."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params

    def __repr__(self) -> str:
        return f"ValidationError({self.msgid!r}, **{self.params!r})"


class UnsureReading(BotError):
    """An answer read, but not surely: the engine shows how it was read (`kind` says how
    to show `value`, `why` is the catalog id explaining the doubt) and stores it only after
    one tap. Never stored without it: a wrong amount or UTR in a hold request is worse
    than none."""

    def __init__(self, kind: str, value: str, why: str = "") -> None:
        super().__init__(kind)
        self.kind = kind
        self.value = value
        self.why = why


class ConfigurationError(BotError):
    """A setting is missing or wrong; the message names the setting."""
