"""Several `python bot.py` workers on one PostgreSQL schema, in Telegram webhook mode, and
the load balancer a test plays in front of them: each update goes to a random worker,
a failed delivery (a worker killed, a 5xx) is delivered again to another one, as
Telegram redelivers, and with `duplicates` every update also reaches a second worker.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiohttp

from support.fake_telegram import TOKEN, FakeTelegram
from support.processes import BotProcess

SECRET = "workers-Secret_0123456789abcdef"
HOOK = "/tg/hook"

# A complete complaint in each language: (kind, value). Buttons are pressed by their
# callback data, as Telegram sends it.
HINDI = (
    ("text", "नमस्ते"),
    ("press", "report"),
    ("press", "upi"),
    ("text", "2 घंटे पहले"),
    ("text", "26 लाख 4 हजार"),
    ("press", "unsure:yes"),  # over ₹10 lakh: confirmed with one tap
    ("text", "631845002917"),
    ("press", "sbi"),
    ("contact", "+919876543210"),
    ("press", "register"),
    ("text", "quickcash@ybl"),
    ("press", "done"),
    ("text", "किसी ने बैंक अधिकारी बनकर फ़ोन किया और ऐप डाउनलोड करवाया।"),
    ("text", "सुनीता वर्मा"),
    ("press", "CG"),
    ("press", "raipur"),
    ("press", "done"),
    ("press", "submit"),
)
ENGLISH = (
    ("text", "hello"),
    *HINDI[1:3],
    ("text", "2 hours ago"),
    ("text", "26 lakh 4 thousand"),
    *HINDI[5:12],
    ("text", "Someone posing as a bank officer called and made me install an app."),
    ("text", "Sunita Verma"),
    *HINDI[14:],
)


def worker_env(url: str, bot_api: FakeTelegram, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": url,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE": bot_api.url,
        "TELEGRAM_WEBHOOK_URL": f"https://bot.example{HOOK}",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "AWARENESS_EVERY_DAYS": "0",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


async def start_workers(
    count: int, folder: Path, url: str, bot_api: FakeTelegram, **extra: str
) -> list[BotProcess]:
    workers = []
    for n in range(count):
        (folder / f"w{n}").mkdir(exist_ok=True)
        workers.append(
            await BotProcess.start(
                folder / f"w{n}" / "unused.db",
                log_path=folder / f"worker{n}.log",
                **worker_env(url, bot_api, **extra),
            )
        )
    return workers


class Balancer:
    """Posts updates to the workers' webhooks, as a load balancer in front of them."""

    def __init__(self, urls: Sequence[str], *, duplicates: bool, seed: int = 16) -> None:
        self.urls = list(urls)
        self.alive = list(urls)
        self.duplicates = duplicates
        self.random = random.Random(seed)
        self.redelivered = 0
        self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=200))

    async def close(self) -> None:
        await self.session.close()

    def drop(self, url: str) -> None:
        """The balancer's health check found this worker dead."""
        if url in self.alive:
            self.alive.remove(url)

    async def _post(self, url: str, update: dict[str, Any]) -> bool:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        try:
            async with self.session.post(url + HOOK, json=update, headers=headers) as reply:
                await reply.read()
                return reply.status == 200
        except aiohttp.ClientError:
            return False

    async def deliver(self, update: dict[str, Any]) -> None:
        """Until one worker answered 200 (and, with duplicates, to a second one too)."""
        first, *others = self.random.sample(self.alive, len(self.alive))
        posts = [self._post(first, update)]
        if self.duplicates and others:
            posts.append(self._post(others[0], update))
        if any(await asyncio.gather(*posts)):
            return
        for attempt in range(200):
            self.redelivered += 1
            await asyncio.sleep(min(0.05 * attempt, 0.5))  # Telegram's back-off, shortened
            if await self._post(self.random.choice(self.alive), update):
                return
        raise AssertionError(f"no worker took update {update['update_id']}")


def updates_for(
    bot_api: FakeTelegram, chat_id: int, steps: Sequence[tuple[str, str]], language: str
) -> list[dict[str, Any]]:
    made = []
    for kind, value in steps:
        if kind == "press":
            message = {"message_id": 1, "date": 0, "chat": bot_api.private_chat(chat_id)}
            update = bot_api.callback_update(chat_id, message, value, language_code=language)
        elif kind == "contact":
            update = bot_api.contact_update(chat_id, value, language_code=language)
        else:
            update = bot_api.text_update(chat_id, value, language_code=language)
        made.append(bot_api.stamp(update))
    return made


async def complain(balancer: Balancer, updates: list[dict[str, Any]]) -> None:
    """One person's complaint: each update after the previous one was taken."""
    for update in updates:
        await balancer.deliver(update)
