"""Serving an aiohttp application on a free loopback port without racing for it.

The application binds port 0 and the kernel picks the port; the caller reads the port
that was bound. (Binding a socket to find a free port, closing it and handing the number
to another server is a race that fails on a busy machine.)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web


async def start(app: web.Application, host: str = "127.0.0.1") -> tuple[web.AppRunner, str]:
    """Starts `app` on a port the kernel picks; returns its runner and base URL."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, host, 0).start()
    bound_host, port = runner.addresses[0][:2]
    return runner, f"http://{bound_host}:{port}"


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    """`async with serving(app) as url:` the app is served at `url` inside the block."""
    runner, url = await start(app)
    try:
        yield url
    finally:
        await runner.cleanup()
