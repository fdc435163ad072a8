"""An organizer schedules an announcement to one school for tomorrow 9:00: it goes out then,
to every family of that school once, and the organizer gets the report."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.delivery import Delivery
from bot.domain import programs as programs_module
from bot.domain.announcing import (
    Announcing,
    BadTime,
    Cancelled,
    DeliveryReport,
    Drafting,
    Listing,
    NotCancellable,
    Preview,
    Reach,
    Scheduled,
)
from bot.domain.chats import NoProgram
from bot.domain.programs import load_programs
from bot.domain.roles import NotAnOrganizer, Roles
from bot.texts import announce as announce_texts
from faq.kb import knowledge_base_files
from storage import announcements, children, families, mile_logs, outbox, repo
from storage.db import Database
from storage.models import Outbox
from tests.clock import Clock
from tests.fake_bot_api import ApiError, FakeBotApi

ORGANIZER = 777
PARENT = 1
ROLES = Roles(frozenset({ORGANIZER}))
LA = ZoneInfo("America/Los_Angeles")


async def school_families(db: Database) -> None:
    """Chats 1-3 have a child at Lincoln (chat 3 two of them), chat 4 at Adams, 5 none."""
    async with db.session() as session, session.begin():
        await repo.save_chat(session, ORGANIZER, "private", "kroc")
        for chat_id, kids in ((1, [("Emma", "Lincoln")]), (2, [("Jack", "lincoln")]),
                              (3, [("Zoe", "Lincoln"), ("Max", "Adams")]), (4, [("Ava", "Adams")]),
                              (5, [])):
            await repo.save_chat(session, chat_id, "private", "kroc")
            family = await families.ensure_family(session, chat_id)
            for name, school in kids:
                await children.add_child(session, family, name, None, "2", school, "kroc")


async def run_ticks(announcing: Announcing, delivery: Delivery, bot, clock: Clock,  # type: ignore[no-untyped-def]
                    seconds: int) -> None:
    for _ in range(seconds):
        await announcing.process_due()
        await delivery.tick(bot)
        clock.advance(1)


async def test_a_school_announcement_goes_out_at_its_time_once_with_a_report(  # type: ignore[no-untyped-def]
        db: Database, bot, fake_api: FakeBotApi) -> None:
    await school_families(db)
    clock = Clock(dt.datetime(2026, 11, 23, 15, 0, tzinfo=LA))
    announcing = Announcing(db, render_report=announce_texts.report, now=clock)
    delivery = Delivery(db, now=clock)
    tomorrow_nine = dt.datetime(2026, 11, 24, 9, 0, tzinfo=LA)
    scheduled = await announcing.schedule("kroc", "Practice moves to the big field!",
                                          tomorrow_nine, school="LINCOLN", created_by=ORGANIZER)
    assert scheduled.recipients == 3
    fake_api.fail_next(2, ApiError(403, "Forbidden: bot was blocked by the user"))
    await run_ticks(announcing, delivery, bot, clock, 5)
    assert fake_api.sent() == []  # not before its time
    clock.now = tomorrow_nine
    await run_ticks(announcing, delivery, bot, clock, 5)
    got = {chat: [m["text"] for m in fake_api.sent(chat)] for chat in (1, 2, 3, 4, 5)}
    assert got == {1: ["Practice moves to the big field!"], 2: [],
                   3: ["Practice moves to the big field!"], 4: [], 5: []}
    [report] = [m["text"] for m in fake_api.sent(ORGANIZER)]
    assert report == ("📣 Your announcement “Practice moves to the big field!” to families of "
                      "LINCOLN is out: 2 sent, 1 blocked the bot, 0 failed.")
    await run_ticks(announcing, delivery, bot, clock, 5)  # nothing more, ever
    assert len(fake_api.sent()) == 3


async def test_a_scheduled_announcement_can_be_cancelled(db: Database) -> None:
    await school_families(db)
    clock = Clock()
    announcing = Announcing(db, render_report=announce_texts.report, roles=ROLES, now=clock)
    first = await announcing.schedule("kroc", "One", clock.now + dt.timedelta(days=1))
    await announcing.schedule("kroc", "Two", clock.now + dt.timedelta(days=2))
    assert [a.text for a in await announcing.scheduled("kroc")] == ["One", "Two"]
    cancelled = await announcing.cancel(ORGANIZER, first.id)
    assert isinstance(cancelled, Cancelled) and cancelled.announcement.text == "One"
    assert await announcing.cancel(ORGANIZER, first.id) == NotCancellable()
    clock.advance(3 * 86400)
    await announcing.process_due()
    async with db.session() as session:
        assert await outbox.messages_to(session, 1) == [("announcement", "pending", "Two")]
        assert await announcements.scheduled(session) == []


def test_the_cli_schedules_an_announcement_in_the_programs_time_zone(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'a.db'}")
    out = io.StringIO()
    code = main(["announce", "--program", "kroc", "--school", "Lincoln", "--at",
                 "2099-11-24T09:00", "--text", "Big field tomorrow!"], stdout=out)
    assert code == 0
    assert out.getvalue() == ("Announcement #1 to families of Lincoln (0 chats today), sending "
                              "at 2099-11-24 09:00 PST.\n")
    assert main(["announce", "--program", "kroc", "--at", "tomorrow", "--text", "x"]) == 2
    assert main(["announce", "--program", "nope", "--text", "x"]) == 2


def test_a_preview_counts_one_chat_and_more_chats() -> None:
    def shown(recipients: int) -> str:
        return announce_texts.preview(Preview("Hi!", Reach("KROC"), recipients)).text

    assert "(1 chat today)" in shown(1)
    assert "(2 chats today)" in shown(2)
    assert "(0 chats today)" in shown(0)


def test_the_cli_reads_a_time_in_the_bots_time_zone_for_a_program_without_its_own(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """A program that names no time zone (here Little Rockers without its own) lives in the
    TIMEZONE setting's, in the CLI as in the bot."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'a.db'}"
    files = []
    for path in knowledge_base_files():
        files.append(tmp_path / path.name)
        files[-1].write_text(path.read_text(encoding="utf-8").replace(
            "  timezone: America/Chicago\n", ""), encoding="utf-8")
    monkeypatch.setattr(programs_module, "knowledge_base_files", lambda: files)
    assert load_programs()["little-rockers"].timezone == "UTC"  # no zone of its own
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TIMEZONE", "America/New_York")

    async def one_family() -> None:
        db = Database(url)
        await db.upgrade()
        async with db.session() as session, session.begin():
            await repo.save_chat(session, 1, "private", "little-rockers")
        await db.dispose()

    async def stored() -> list[announcements.AnnouncementRecord]:
        db = Database(url)
        async with db.session() as session:
            found = await announcements.scheduled(session)
        await db.dispose()
        return found

    asyncio.run(one_family())
    out = io.StringIO()
    assert main(["announce", "--program", "little-rockers", "--at", "2099-11-24T09:00",
                 "--text", "Race day!"], stdout=out) == 0
    assert out.getvalue() == ("Announcement #1 to all little-rockers families (1 chat today), "
                              "sending at 2099-11-24 09:00 EST.\n")
    [announcement] = asyncio.run(stored())
    assert announcement.due_at.replace(tzinfo=dt.UTC) == dt.datetime(2099, 11, 24, 14, 0,
                                                                    tzinfo=dt.UTC)


async def test_an_announcement_to_families_behind_pace_reaches_only_them(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    clock = Clock(dt.datetime(2026, 11, 23, 10, 0, tzinfo=LA))
    today = clock.now.date()
    four_weeks_ago = today - dt.timedelta(weeks=4)
    async with db.session() as session, session.begin():
        for chat_id, logs in ((1, [(four_weeks_ago, 100)]),  # 1 mile in 4 weeks: behind
                              (2, [(four_weeks_ago + dt.timedelta(days=d), 40)
                                   for d in range(28)]),  # 11.2 miles in 4 weeks: on track
                              (3, [])):  # not started yet
            await repo.save_chat(session, chat_id, "private", "kroc")
            family = await families.ensure_family(session, chat_id)
            child = await children.add_child(session, family, "Kid", None, "2", None, "kroc")
            for day, hundredths in logs:
                await mile_logs.add_log(session, family, "x", f"x{day}", None,
                                       [mile_logs.NewEntry(child.id, hundredths, day)])
    announcing = Announcing(db, programs, render_report=announce_texts.report, now=clock)
    scheduled = await announcing.schedule("kroc", "You can do it! 💪", audience="behind")
    assert (scheduled.recipients, scheduled.reach.kind) == (1, announcements.BEHIND)
    await announcing.process_due()
    async with db.session() as session:
        got = {chat: await outbox.messages_to(session, chat) for chat in (1, 2, 3)}
    assert got == {1: [("announcement", "pending", "You can do it! 💪")], 2: [], 3: []}


async def test_a_time_in_the_programs_zone_is_kept_whatever_the_database(db: Database) -> None:
    await school_families(db)
    clock = Clock(dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC))  # the server runs in UTC
    announcing = Announcing(db, render_report=announce_texts.report, now=clock)
    nine_in_la = dt.datetime(2026, 11, 24, 9, 0, tzinfo=LA)  # 17:00 UTC
    await announcing.schedule("kroc", "Big field", nine_in_la)
    [listed] = await announcing.scheduled("kroc")
    assert listed.due_at == nine_in_la
    clock.now = dt.datetime(2026, 11, 24, 16, 59, tzinfo=dt.UTC)
    assert await announcing.process_due() == []
    clock.now = dt.datetime(2026, 11, 24, 17, 0, tzinfo=dt.UTC)
    assert [a.text for a in await announcing.process_due()] == ["Big field"]


async def test_the_report_is_rendered_from_the_counts_of_a_finished_delivery(  # type: ignore[no-untyped-def]
        db: Database, bot, fake_api: FakeBotApi) -> None:
    await school_families(db)
    reports: list[DeliveryReport] = []

    def render(done: DeliveryReport) -> str:
        reports.append(done)
        return "the report"

    clock = Clock(dt.datetime(2026, 11, 23, 15, 0, tzinfo=LA))
    announcing = Announcing(db, render_report=render, now=clock)
    await announcing.schedule("kroc", "Big field", school="Adams", created_by=ORGANIZER)
    fake_api.fail_next(4, ApiError(403, "Forbidden: bot was blocked by the user"))
    [queued] = await announcing.process_due()
    assert (queued.state, queued.recipients) == (announcements.QUEUED, 2)
    await run_ticks(announcing, Delivery(db, now=clock), bot, clock, 3)
    [done] = reports
    assert (done.announcement.text, done.program_name, done.sent, done.blocked, done.failed) == (
        "Big field", "kroc", 1, 1, 0)
    assert [m["text"] for m in fake_api.sent(ORGANIZER)] == ["the report"]


async def test_only_an_organizer_may_start_list_or_cancel_announcements(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    await school_families(db)
    announcing = Announcing(db, programs, render_report=announce_texts.report, roles=ROLES,
                            now=Clock())
    later = await announcing.schedule("kroc", "Big field", Clock().now + dt.timedelta(days=1))
    assert await announcing.start(PARENT, PARENT) == NotAnOrganizer()
    assert await announcing.start(None, PARENT) == NotAnOrganizer()
    assert await announcing.listing(PARENT, PARENT) == NotAnOrganizer()
    assert await announcing.cancel(PARENT, later.id) == NotAnOrganizer()
    assert [a.text for a in await announcing.scheduled("kroc")] == ["Big field"]  # still there
    assert await announcing.start(ORGANIZER, ORGANIZER) == Drafting(programs["kroc"])
    listing = await announcing.listing(ORGANIZER, ORGANIZER)
    assert isinstance(listing, Listing)
    assert ([a.id for a in listing.items], listing.timezone) == ([later.id], "America/Los_Angeles")
    assert await announcing.cancel(ORGANIZER, None) == NotCancellable()  # an unreadable button


async def test_an_organizer_in_a_chat_without_a_program_is_asked_for_one_first(
        db: Database) -> None:
    announcing = Announcing(db, render_report=announce_texts.report, roles=ROLES, now=Clock())
    assert await announcing.start(ORGANIZER, ORGANIZER) == NoProgram()
    assert await announcing.listing(ORGANIZER, ORGANIZER) == NoProgram()


async def test_a_typed_time_is_read_in_the_programs_zone_and_must_be_ahead(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    clock = Clock(dt.datetime(2026, 11, 23, 23, 0, tzinfo=dt.UTC))  # 15:00 in Los Angeles
    announcing = Announcing(db, programs, render_report=announce_texts.report, now=clock)
    kroc = programs["kroc"]
    assert announcing.when(kroc, "tomorrow 9:00") == dt.datetime(2026, 11, 24, 9, 0, tzinfo=LA)
    assert announcing.when(kroc, "16:00") == dt.datetime(2026, 11, 23, 16, 0, tzinfo=LA)
    assert announcing.when(kroc, "14:00") == BadTime()  # already past, there
    assert announcing.when(kroc, "someday") == BadTime()


async def test_a_preview_and_a_schedule_say_who_gets_it_and_how_many(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    await school_families(db)
    clock = Clock(dt.datetime(2026, 11, 23, 15, 0, tzinfo=LA))
    announcing = Announcing(db, programs, render_report=announce_texts.report, now=clock)
    assert await announcing.preview("kroc", "Big field", "lincoln", "school") == Preview(
        "Big field", Reach("KROC", announcements.SCHOOL, "lincoln"), 3)
    assert await announcing.preview("kroc", "Pizza", audience="all") == Preview(
        "Pizza", Reach("KROC"), 6)  # every chat in KROC, the organizer's own too
    nine = dt.datetime(2026, 11, 24, 9, 0, tzinfo=LA)
    scheduled = await announcing.schedule("kroc", "Big field", nine, "Adams", audience="school")
    assert scheduled == Scheduled(scheduled.id, 2, nine,
                                  Reach("KROC", announcements.SCHOOL, "Adams"))
    now = await announcing.schedule("kroc", "Pizza", audience="all")
    assert (now.when, now.recipients, now.reach) == (None, 6, Reach("KROC"))


async def test_the_organizer_gets_the_report_even_when_their_own_copy_was_refused(  # type: ignore[no-untyped-def]
        db: Database, bot, fake_api: FakeBotApi) -> None:
    await school_families(db)  # the organizer's chat is a KROC family chat too
    clock = Clock(dt.datetime(2026, 11, 23, 15, 0, tzinfo=LA))
    announcing = Announcing(db, render_report=announce_texts.report, now=clock)
    await announcing.schedule("kroc", "Race day is Saturday", created_by=ORGANIZER)
    fake_api.fail_next(ORGANIZER, ApiError(403, "Forbidden: bot was blocked by the user"))
    await run_ticks(announcing, Delivery(db, now=clock), bot, clock, 4)
    assert [m["text"] for m in fake_api.sent(ORGANIZER)] == [
        "📣 Your announcement “Race day is Saturday” to all kroc families is out: 5 sent, "
        "1 blocked the bot, 0 failed."]


async def test_copies_that_timed_out_are_reported_as_unconfirmed(  # type: ignore[no-untyped-def]
        db: Database, bot, fake_api: FakeBotApi) -> None:
    await school_families(db)
    clock = Clock(dt.datetime(2026, 11, 23, 15, 0, tzinfo=LA))
    announcing = Announcing(db, render_report=announce_texts.report, now=clock)
    scheduled = await announcing.schedule("kroc", "Big field", school="Adams",
                                          created_by=ORGANIZER)
    await announcing.process_due()
    async with db.session() as session, session.begin():  # chat 4's send timed out
        [row] = (await session.scalars(select(Outbox.id).where(
            Outbox.dedupe_key == announcements.outbox_key(scheduled.id, 4)))).all()
        await outbox.mark_done(session, row, outbox.UNKNOWN, "Timed out")
    await run_ticks(announcing, Delivery(db, now=clock), bot, clock, 3)
    assert [m["text"] for m in fake_api.sent(ORGANIZER)] == [
        "📣 Your announcement “Big field” to families of Adams is out: 1 sent, 0 blocked the "
        "bot, 0 failed, 1 unconfirmed (Telegram did not answer in time; they may have "
        "arrived, so they were not sent again)."]
