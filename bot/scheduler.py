"""Jobs on PTB's JobQueue: thin callbacks over use cases that tests call directly."""

from __future__ import annotations

import logging

from bot.context import FinalMileContext

log = logging.getLogger(__name__)


async def deliver(context: FinalMileContext) -> None:
    """Queue the announcements that are due, then send the outbox messages that are due."""
    services = context.services
    try:
        await services.announcing.process_due()
    except Exception:  # announcements wait for the next tick; what is queued still goes out
        log.exception("Could not queue due announcements")
    # The sends go on after the tick returns (the next tick must not wait for them); the
    # report is of the outcomes recorded since the last tick.
    report = await services.delivery.tick(services.sender or context.bot, wait=False)
    if report.sent or report.blocked or report.failed or report.unknown or report.paused_for:
        log.info("Outbox: %s sent, %s blocked, %s failed, %s unknown, %s retried%s",
                 report.sent, report.blocked, report.failed, report.unknown, report.retried,
                 f", paused {report.paused_for}" if report.paused_for else "")


async def remind(context: FinalMileContext) -> None:
    """Queue reminders for families who have not logged for a few days."""
    queued = await context.services.reminders.queue_due()
    if queued:
        log.info("Queued %s reminder(s)", queued)
