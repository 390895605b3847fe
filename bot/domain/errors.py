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


class ConfigurationError(BotError):
    """A setting is missing or wrong; the message names the setting."""
