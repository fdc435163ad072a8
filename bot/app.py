"""The composition root: the one place that builds the Application and wires everything.

Building starts nothing and touches no network; `run_polling`, the console and the tests all
call the same factory.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from telegram import BotCommand, BotCommandScope, BotCommandScopeChat
from telegram.error import TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes
from telegram.request import BaseRequest

from bot import delivery, scheduler
from bot.config import Settings
from bot.context import ChatData, FinalMileContext, UserData
from bot.domain.programs import Program
from bot.handlers import register
from bot.runtime import build_runtime
from bot.services import CONSOLE_TOKEN, Services, bot_api_url, build_services
from bot.texts import menu as menu_texts
from faq.kb import KnowledgeBase

# The menus (their words: bot/texts/menu.py). /help names the same commands.
COMMANDS = tuple(BotCommand(name, about) for name, about in menu_texts.FAMILY_COMMANDS)
ORGANIZER_COMMANDS = tuple(BotCommand(name, about) for name, about in menu_texts.ORGANIZER_COMMANDS)
REMINDER_INTERVAL = 600  # seconds between looks for families to remind
PRUNE_INTERVAL = 3600  # seconds between prunings of handled updates
log = logging.getLogger(__name__)


async def _publish(app: Application, commands: Sequence[BotCommand],
                   scope: BotCommandScope | None = None) -> None:
    """Set a menu (None: the default one) only when Telegram shows another: every worker
    starting does this, and the answer is the same for all of them."""
    shown = await app.bot.get_my_commands(scope=scope)
    if [(c.command, c.description) for c in shown] != [
            (c.command, c.description) for c in commands]:
        await app.bot.set_my_commands(commands, scope=scope)


async def _post_init(app: Application) -> None:
    services: Services = app.bot_data["services"]
    settings: Settings = app.bot_data["settings"]
    await services.initialize()
    await _publish(app, COMMANDS)
    for organizer in services.organizer_ids:  # organizers also see their own commands
        try:
            await _publish(app, COMMANDS + ORGANIZER_COMMANDS, BotCommandScopeChat(organizer))
        except TelegramError as exc:  # never wrote to the bot yet: nothing to show them
            log.info("No organizer commands for %s: %s", organizer, exc)
    if app.job_queue is not None:  # every worker schedules them; only the leader runs them
        app.job_queue.run_repeating(scheduler.deliver, interval=delivery.INTERVAL,
                                    first=delivery.INTERVAL, name="delivery")
        app.job_queue.run_repeating(scheduler.remind, interval=REMINDER_INTERVAL, first=30,
                                    name="reminders")
        app.job_queue.run_repeating(
            scheduler.prune, interval=PRUNE_INTERVAL, first=60, name="prune updates",
            data=dt.timedelta(days=settings.updates_retention_days))
        app.job_queue.run_repeating(scheduler.forget_askers, interval=PRUNE_INTERVAL, first=90,
                                    name="forget askers")


async def _post_shutdown(app: Application) -> None:
    services: Services = app.bot_data["services"]
    await services.shutdown()


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    kbs: dict[str, KnowledgeBase] | None = None,
    programs: dict[str, Program] | None = None,
    rate_limit: bool = True,
) -> Application:
    """Build (not start) the bot. `request` replaces the HTTP client (console, tests).

    `rate_limit=False` drops the wait for Telegram's limits: only for measuring the bot's own
    cost (bench/), never against Telegram.
    """
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines carry the token
    # The job queue ticks four times a second, and APScheduler logs two INFO lines per run of
    # a job (about 8 lines a second, 100+ MB a day); its warnings and errors still show.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # A tick still running when the next is due is skipped on purpose (sends go on between
    # ticks): that is a WARNING per skipped tick under load, four a second; errors still show.
    logging.getLogger("apscheduler.scheduler").setLevel(logging.ERROR)
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (  # its types change as it builds
        ApplicationBuilder()
        .token(settings.token or CONSOLE_TOKEN)
        .context_types(ContextTypes(context=FinalMileContext, user_data=UserData,
                                    chat_data=ChatData))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .updater(None)  # updates come through bot/polling.py or bot/webhook.py, stored first
    )
    if rate_limit:  # a 429 on a reply: wait exactly what Telegram asks, then try again
        # (no reassignment: the builder changes its own bot type here, which mypy can't follow)
        builder.rate_limiter(AIORateLimiter(
            overall_max_rate=settings.send_rate_limit, max_retries=2))
    if settings.telegram_api_base_url:
        builder = builder.base_url(bot_api_url(settings.telegram_api_base_url))
    if request is not None:
        builder = builder.request(request)
    app = builder.build()
    # The outbox has its own Bot, without PTB's rate limiter: delivery paces itself.
    services = build_services(settings, kbs=kbs, programs=programs, request=request)
    app.bot_data["services"] = services
    app.bot_data["settings"] = settings
    register(app)
    build_runtime(app, services)
    return app
