"""Webhook mode: a small ASGI app (Starlette, served by uvicorn) in front of the Application,
as python-telegram-bot's custom-webhook example has it.

- POST to the path of WEBHOOK_URL: Telegram's `X-Telegram-Bot-Api-Secret-Token` header must
  equal WEBHOOK_SECRET (compared in constant time) or the answer is 403 and nothing is stored.
  A body that is not an update is a 400. Otherwise the update is committed to the database
  (bot/intake.py) and only then answered 200; a failure to store it is a 500, so Telegram
  sends it again. Handling happens after, from the database, on whichever worker gets to it.
- GET /healthz: 200 while the database answers, 503 when it does not (for a load balancer).

Several workers behind a load balancer all start the same way, so the shared setup is
idempotent: the webhook is set only when Telegram's differs (URL or allowed updates). Telegram
never tells its secret back, so a change of WEBHOOK_SECRET alone is not noticed: apply it
with `finalmile webhook set` once workers with the new secret are up (requests refused
meanwhile are 403s, which Telegram retries; nothing is lost).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import socket
import time
from collections.abc import Generator, Sequence
from urllib.parse import urlsplit

import uvicorn
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Bot, Update

from bot.config import Settings
from bot.intake import incoming
from bot.runtime import App, Runtime, running
from storage.db import Database

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"
ALLOWED_UPDATES = tuple(Update.ALL_TYPES)  # as polling asks for them
HEALTH_TIMEOUT = 5.0  # seconds the database has to answer a health check
GRACE = 20.0  # seconds requests in flight get to finish after SIGTERM
WARN_EVERY = 60.0  # seconds between warnings about refused requests


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


def web_app(runtime: Runtime, db: Database, secret: str, path: str) -> Starlette:
    """The ASGI app: the webhook route and the health route."""
    expected = secret.encode()
    warned = [0.0]

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            if time.monotonic() - warned[0] > WARN_EVERY:
                warned[0] = time.monotonic()
                log.warning("Refused a webhook request without the right secret token (if "
                            "WEBHOOK_SECRET changed, run `finalmile webhook set`)")
            return Response(status_code=403)
        try:
            payload = json.loads(await request.body())
            if not isinstance(payload, dict):
                raise ValueError("not a JSON object")
            incoming(payload)  # what the intake stores: refused here rather than there
        except Exception:  # whatever does not read as an update
            return PlainTextResponse("not a Telegram update", status_code=400)
        try:
            await runtime.intake.receive([payload])
        except Exception:
            log.exception("Could not store an update; answering 500 so Telegram sends it again")
            return Response(status_code=500)
        return Response(status_code=200)  # stored: Telegram may forget it

    async def health(_request: Request) -> Response:
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT), db.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:
            log.warning("Health check: the database does not answer")
            return PlainTextResponse("database unreachable", status_code=503)
        return PlainTextResponse("ok")

    return Starlette(routes=[Route(path, receive, methods=["POST"]),
                             Route(HEALTH_PATH, health, methods=["GET"])])


async def ensure_webhook(bot: Bot, url: str, secret: str, *, force: bool = False) -> bool:
    """Point Telegram at `url` unless it already is (with the same allowed updates); whether
    it was set. Pending updates are kept: they are what families sent."""
    if not force:
        info = await bot.get_webhook_info()
        if info.url == url and sorted(info.allowed_updates or ()) == sorted(ALLOWED_UPDATES):
            return False
    await bot.set_webhook(url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES),
                          drop_pending_updates=False)
    log.info("Webhook set")
    return True


class _Server(uvicorn.Server):
    """uvicorn, minus its own signal handling: bot/runner.py owns SIGTERM and SIGINT, and
    tells the server to stop (`should_exit`)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


def _server(app: Starlette, settings: Settings) -> _Server:
    host, port = settings.listen
    return _Server(uvicorn.Config(
        app, host=host, port=port, log_config=None, access_log=False, lifespan="off",
        server_header=False, timeout_graceful_shutdown=int(GRACE)))


async def serve_webhook(app: App, settings: Settings, stop: asyncio.Event,
                        sockets: Sequence[socket.socket] | None = None) -> None:
    """Serve until `stop` is set: then take no new requests, finish those in flight, and stop
    the handling loop after its round (which sends that round's replies)."""
    assert settings.webhook_url is not None and settings.secret is not None
    async with running(app) as runtime:
        db = runtime.intake.db
        server = _server(web_app(runtime, db, settings.secret,
                                 webhook_path(settings.webhook_url)), settings)
        serving = asyncio.create_task(server.serve(list(sockets) if sockets else None))
        while not server.started and not serving.done():  # noqa: ASYNC110 (uvicorn has no event)
            await asyncio.sleep(0.05)
        if not serving.done():  # listening: now Telegram may call
            try:
                await ensure_webhook(app.bot, settings.webhook_url, settings.secret)
            except BaseException:
                server.should_exit = True
                await asyncio.gather(serving, return_exceptions=True)
                raise
            log.info("Final Mile is running (webhook, listening on %s)", settings.webhook_listen)
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
            stopping.cancel()
            server.should_exit = True
        await serving
