"""Awareness campaigns in tests: subscribers seeded straight into the store, a campaign
queued as the CLI or /broadcast would, and whether every campaign has finished."""

from __future__ import annotations

from collections.abc import Container, Iterable
from datetime import datetime
from typing import Any

from bot.domain.clock import IST
from bot.domain.messages import ConversationKey
from storage.base import Store


def subscribe(store: Store, chats: Iterable[int], *, opted_out: Container[int] = ()) -> None:
    """Telegram subscribers, Hindi for odd chat ids and English for even ones; those in
    `opted_out` subscribed and then said STOP."""
    now = datetime.now(IST)
    with store.transaction():
        for chat in chats:
            key = ConversationKey("telegram", str(chat))
            language = "hi" if chat % 2 else "en"
            store.set_subscription(key, subscribed=True, language=language, how="test", at=now)
            if chat in opted_out:
                store.set_subscription(key, subscribed=False, language=language, how="STOP", at=now)


def finished(store: Store) -> bool:
    with store.transaction():
        progress = store.campaign_progress()
    return bool(progress) and all(p.campaign.finished_at for p in progress)


def queue_campaign(store: Store, **texts: Any) -> None:
    now = datetime.now(IST)
    with store.transaction():
        store.create_campaign(kind="custom", created_by="test", at=now, send_at=now, **texts)
