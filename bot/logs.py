"""Logging for the running bot: one handler on the root logger, every record masked.

Logs are read by more people than complaints are, so personal identifiers never reach
them in clear: the filter rewrites every record's message with `bot.domain.masking.mask`.
"""

from __future__ import annotations

import logging

from bot.domain.masking import mask


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = None
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(MaskingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
