"""Command line: `python bot.py [console | complaints ... | outbox ... | broadcast ...]`."""

from bot.cli.main import main

__all__ = ["main"]
