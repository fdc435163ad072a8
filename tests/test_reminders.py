"""Reminders: after a few quiet days, at a friendly local hour, at most once a week, and
never after /reminders off. Time is injected; nothing sleeps."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import update

from bot.domain.reminders import NoFamily, Reminders, RemindersOff, RemindersOn
from bot.texts.reminders import reminder
from storage import children, families, mile_logs, outbox, repo
from storage.db import Database
from storage.models import Family
from tests.clock import Clock

LA = ZoneInfo("America/Los_Angeles")
JOINED = dt.datetime(2026, 11, 16, 8, 0, tzinfo=LA)  # a Monday morning


async def family(db: Database, chat_id: int, name: str, joined: dt.datetime = JOINED) -> int:
    async with db.session() as session, session.begin():
        await repo.save_chat(session, chat_id, "private", "kroc")
        family_id = await families.ensure_family(session, chat_id)
        await children.add_child(session, family_id, name, None, "2", None, "kroc")
        await session.execute(update(Family).where(Family.id == family_id)
                              .values(created_at=joined))
    return family_id


async def reminders_to(db: Database, chat_id: int) -> list[str]:
    async with db.session() as session:
        return [text for kind, _, text in await outbox.messages_to(session, chat_id)
                if kind == "reminder"]


async def test_a_quiet_family_is_reminded_once_a_week_in_daytime_only(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    await family(db, 1, "Emma")
    clock = Clock(dt.datetime(2026, 11, 19, 21, 30, tzinfo=LA))  # Thu evening: 3.5 days quiet
    reminders = Reminders(db, {"kroc": programs["kroc"]}, render=reminder, now=clock)
    assert await reminders.queue_due() == 0
    clock.now = dt.datetime(2026, 11, 20, 7, 0, tzinfo=LA)  # Fri 7:00: quiet long enough, early
    assert await reminders.queue_due() == 0
    clock.now = dt.datetime(2026, 11, 20, 9, 0, tzinfo=LA)
    await reminders.queue_due()
    [text] = await reminders_to(db, 1)
    assert text.startswith("👟 Hi! It's been a few days since the last miles. How is Emma's")
    for day, hour in ((21, 10), (21, 18), (22, 18), (23, 9)):  # Sat, Sun, and Monday of a
        clock.now = dt.datetime(2026, 11, day, hour, 0, tzinfo=LA)  # new week: still one
        await reminders.queue_due()
    assert len(await reminders_to(db, 1)) == 1
    clock.now = dt.datetime(2026, 11, 27, 9, 30, tzinfo=LA)  # seven days after the first
    await reminders.queue_due()
    assert len(await reminders_to(db, 1)) == 2


async def test_a_reminder_held_up_until_evening_is_dropped_not_sent_at_night(  # type: ignore[no-untyped-def]
        db: Database, programs, bot, fake_api) -> None:
    from bot.delivery import Delivery

    await family(db, 1, "Emma")
    clock = Clock(dt.datetime(2026, 11, 20, 18, 50, tzinfo=LA))
    await Reminders(db, {"kroc": programs["kroc"]}, render=reminder, now=clock).queue_due()
    clock.now = dt.datetime(2026, 11, 20, 22, 0, tzinfo=LA)  # the bot was down all evening
    report = await Delivery(db, now=clock).tick(bot)
    assert (report.sent, report.failed) == (0, 1)
    assert fake_api.sent(1) == []


async def test_families_who_logged_lately_or_said_off_are_not_reminded(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    busy = await family(db, 1, "Emma")
    await family(db, 2, "Jack")
    clock = Clock(dt.datetime(2026, 11, 25, 10, 0, tzinfo=LA))
    async with db.session() as session, session.begin():
        [emma] = await children.children(session, busy)
        await mile_logs.add_log(session, busy, "ran", "ran", None,
                               [mile_logs.NewEntry(emma.id, 100, clock.now.date())])
    reminders = Reminders(db, {"kroc": programs["kroc"]}, render=reminder, now=clock)
    assert await reminders.set(2, False) == RemindersOff()
    assert await reminders.set(404, False) == NoFamily()  # no child was ever added there
    assert await reminders.queue_due() == 0
    assert await reminders.set(2, True) == RemindersOn()
    assert await reminders.queue_due() == 1
    assert await reminders_to(db, 1) == [] and len(await reminders_to(db, 2)) == 1


async def test_the_reminder_names_every_child_of_the_family(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    family_id = await family(db, 1, "Emma")
    async with db.session() as session, session.begin():
        await children.add_child(session, family_id, "Jack", None, "3", None, "kroc")
    named: list[list[str]] = []

    def render(names: list[str]) -> str:
        named.append(names)
        return f"hi {len(names)}"

    clock = Clock(dt.datetime(2026, 11, 25, 10, 0, tzinfo=LA))
    assert await Reminders(db, {"kroc": programs["kroc"]}, render=render, now=clock
                           ).queue_due() == 1
    assert named == [["Emma", "Jack"]]
    assert await reminders_to(db, 1) == ["hi 2"]
