"""`finalmile run`: the bot on Telegram, until SIGTERM or SIGINT.

Webhook mode (bot/webhook.py) when WEBHOOK_URL is set, long polling (bot/polling.py)
otherwise. SIGTERM (a supervisor stopping or redeploying it) stops taking new updates,
finishes those in flight and exits 0. A failure no retry can fix (an invalid token, a lasting
polling conflict, a second bot on the same SQLite file) exits non-zero with one clear log line.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from telegram.error import InvalidToken

from bot.app import build_application
from bot.config import Settings
from bot.polling import Poller, PollingFailed
from bot.runtime import running
from bot.single import AlreadyRunning, SingleProcess

log = logging.getLogger(__name__)
FAILED = 1


async def serve(settings: Settings) -> int:
    """Run until stopped; the process's exit code."""
    app = build_application(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        if settings.webhook_url:
            from bot.webhook import serve_webhook

            await serve_webhook(app, settings, stop)
        else:
            async with running(app) as runtime:
                log.info("Final Mile is running (polling)")
                await Poller(app.bot, runtime.intake).run(stop)
    except PollingFailed as exc:
        log.error("Stopping: %s", exc)
        return FAILED
    except InvalidToken:
        log.error("Stopping: Telegram refused the bot token (401): check TELEGRAM_BOT_TOKEN")
        return FAILED
    log.info("Stopped")
    return 0


def run(settings: Settings) -> int:
    try:
        with SingleProcess(settings.database_url):
            return asyncio.run(serve(settings))
    except AlreadyRunning as exc:
        log.error("Not starting: %s", exc)
        return FAILED
