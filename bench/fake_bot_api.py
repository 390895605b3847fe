"""A minimal, fast fake Bot API server for benchmarks (`python bench/fake_bot_api.py [PORT]`).

It answers every method the bots under test call with a documented-shape result and
counts calls; it does no checking (the tests' fake in tests/support/fake_telegram.py does).
It prints "ready URL" once listening (on a port the system picks unless PORT is given).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import signal
import sys
import time

from aiohttp import web

_message_ids = itertools.count(1)
calls = {"count": 0}


async def method(request: web.Request) -> web.Response:
    calls["count"] += 1
    name = request.match_info["method"].lower()
    if name in ("sendmessage", "editmessagereplymarkup"):
        form = await request.post()
        chat_id = int(str(form.get("chat_id", "0")))
        result: object = {
            "message_id": next(_message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": str(form.get("text", "")),
        }
    elif name == "getme":
        result = {"id": 1, "is_bot": True, "first_name": "Bench", "username": "bench_bot"}
    elif name == "getupdates":
        result = []
    else:
        result = True
    return web.Response(
        text=json.dumps({"ok": True, "result": result}), content_type="application/json"
    )


async def stats(request: web.Request) -> web.Response:
    return web.json_response(calls)


def main() -> None:
    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", method)
    app.router.add_get("/stats", stats)
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    serve(app, port)


def serve(app: web.Application, port: int) -> None:
    """Serves `app` until SIGTERM, printing "ready URL" with the port actually bound."""

    async def run() -> None:
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        host, bound = runner.addresses[0][:2]
        print(f"ready http://{host}:{bound}", flush=True)
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()
        await runner.cleanup()

    asyncio.run(run())


if __name__ == "__main__":
    main()
