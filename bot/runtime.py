"""How the running bot is put together around the Application: updates come in through the
intake (stored first), are handled by the handling loop, and replies leave via the outbox.

`running(app)` starts and stops all of it in the right order; polling, the webhook server,
the console chat and the tests all use it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application

from bot.chat_state import ChatStates
from bot.handling import UpdateLoop
from bot.intake import Intake
from bot.leader import Leadership
from bot.services import Services

App = Application[Any, Any, Any, Any, Any, Any]


@dataclass
class Runtime:
    intake: Intake
    loop: UpdateLoop
    sends: Callable[[], bool] = field(default=lambda: True)  # may this process send now?
    leadership: Leadership | None = None  # who runs the scheduled jobs (bot/leader.py)

    def leads(self) -> bool:
        """Whether this process runs the scheduled jobs and sends the outbox now."""
        return self.leadership.leading() if self.leadership is not None else True


def build_runtime(app: App, services: Services) -> Runtime:
    """The intake and handling loop for `app` (stored in its bot_data as "runtime")."""
    async def deliver(ids: list[int]) -> None:
        """Replies were just committed: send them now, not at the outbox's next tick."""
        if runtime.sends():
            await services.delivery.send_now(services.sender or app.bot, ids)

    loop = UpdateLoop(app, services.db, ChatStates(app, services.logbook), deliver)
    leadership = Leadership(services.db)
    runtime = Runtime(Intake(services.db, loop.wake), loop, sends=leadership.leading,
                      leadership=leadership)
    app.bot_data["runtime"] = runtime
    return runtime


def runtime_of(app: App) -> Runtime:
    runtime: Runtime = app.bot_data["runtime"]
    return runtime


@asynccontextmanager
async def running(app: App) -> AsyncIterator[Runtime]:
    """Start the Application (post_init: database, commands, jobs) and the handling loop;
    on the way out, finish the updates in flight before anything closes."""
    runtime = runtime_of(app)
    await app.initialize()
    if app.post_init:
        await app.post_init(app)
    if runtime.leadership is not None:  # before the jobs' first tick
        await runtime.leadership.start()
    await app.start()
    await runtime.loop.start()
    try:
        yield runtime
    finally:
        await runtime.loop.stop()
        await app.stop()  # no job runs any more: the lead may go to another worker
        if runtime.leadership is not None:
            await runtime.leadership.stop()
        if app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)
