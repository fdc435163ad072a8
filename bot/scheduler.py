"""Jobs on PTB's JobQueue: thin callbacks over use cases that tests call directly.

Every worker schedules them, but only the leader (bot/leader.py) runs them: on PostgreSQL
with several workers, announcements, reminders and outbox messages still go out once, and one
sender keeps the whole send budget.
"""

from __future__ import annotations

import datetime as dt
import logging

from bot.context import FinalMileContext
from storage import repo, updates

log = logging.getLogger(__name__)


def _leads(context: FinalMileContext) -> bool:
    runtime = context.bot_data.get("runtime")
    return runtime is None or bool(runtime.leads())


async def deliver(context: FinalMileContext) -> None:
    """Queue the announcements that are due, then send the outbox messages that are due."""
    if not _leads(context):
        return
    services = context.services
    try:
        await services.announcing.process_due()
    except Exception:  # announcements wait for the next tick; what is queued still goes out
        log.exception("Could not queue due announcements")
    # The sends go on after the tick returns (the next tick must not wait for them); the
    # report is of the outcomes recorded since the last tick. At DEBUG: during a broadcast
    # there is one every tick, four a second.
    report = await services.delivery.tick(services.sender or context.bot, wait=False)
    if report.sent or report.blocked or report.failed or report.unknown or report.paused_for:
        log.debug("Outbox: %s sent, %s blocked, %s failed, %s unknown, %s retried%s",
                 report.sent, report.blocked, report.failed, report.unknown, report.retried,
                 f", paused {report.paused_for}" if report.paused_for else "")


async def remind(context: FinalMileContext) -> None:
    """Queue reminders for families who have not logged for a few days."""
    if not _leads(context):
        return
    queued = await context.services.reminders.queue_due()
    if queued:
        log.info("Queued %s reminder(s)", queued)


async def forget_askers(context: FinalMileContext) -> None:
    """Kept questions forget who asked them after their program's retention period."""
    if not _leads(context):
        return
    forgotten = await context.services.privacy.forget_old_askers()
    if forgotten:
        log.info("%s kept question(s) no longer say who asked", forgotten)


async def prune(context: FinalMileContext) -> None:
    """Forget updates handled longer ago than the retention period (the job's data)."""
    keep = context.job.data if context.job is not None else None
    if not _leads(context) or not isinstance(keep, dt.timedelta):
        return
    async with context.services.db.session() as session, session.begin():
        pruned = await updates.prune(session, repo.utcnow() - keep)
    if pruned:
        log.info("Pruned %s handled update(s)", pruned)
