"""The one public HTTP application: channel webhooks, the reporting system's status
callbacks and the health check, served behind a guard against slow and idle clients."""

from bot.web.app import create_app

__all__ = ["create_app"]
