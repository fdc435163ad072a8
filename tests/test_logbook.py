"""The logbook's rules, by their results: logging many messages at once (they share
transactions, and each still sees the ones before it: the daily cap, a repeated message),
questions before logging, undo, history pages, deleting and milestones, on SQLite and
PostgreSQL."""

import asyncio
import datetime as dt
from collections.abc import Sequence

from bot.domain.log_results import (
    AlreadyGone,
    Deleted,
    Expired,
    History,
    Logged,
    LoggedEntry,
    Milestone,
    NeedsChild,
    NotALog,
    NothingToUndo,
    Notice,
    OverCap,
    Rejected,
    Repeat,
    SureToDelete,
    Total,
    Undone,
)
from bot.domain.log_writer import WriteRequest
from bot.domain.logbook import PAGE_SIZE, Logbook
from bot.domain.miles import parse_miles
from bot.domain.programs import Program
from storage import children, families, mile_logs, outbox, repo
from storage.db import Database


def plain(reached: Milestone) -> Notice:
    """A congratulation the tests can read: who and how far."""
    return Notice(f"{reached.name} {reached.miles:g}")


async def family(db: Database, chat_id: int, *names: str) -> None:
    async with db.session() as session, session.begin():
        await repo.save_chat(session, chat_id, "private", "kroc")
        family_id = await families.ensure_family(session, chat_id)
        for name in names:
            await children.add_child(session, family_id, name, None, "2", None, "kroc")


def logged(result: object) -> list[tuple[str, float]]:
    assert isinstance(result, Logged), result
    return [(e.name, e.miles) for e in result.entries]


async def test_messages_arriving_together_share_transactions_in_arrival_order(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    await family(db, 1, "Emma", "Jack")
    for chat_id in range(2, 42):
        await family(db, chat_id, "Zoe")
    batches: list[list[tuple[int, str]]] = []

    def written_together(requests: Sequence[WriteRequest]) -> None:
        batches.append([(r.chat_id, r.text) for r in requests])

    logbook = Logbook(db, milestone_text=plain, on_batch=written_together)
    messages = [(1, "Emma ran 4 miles"), (1, "Emma ran 4.5 miles"), (1, "Emma ran 3 miles"),
                (1, "Jack 1 mile"), (1, "Jack 1 mile")]
    messages += [(chat_id, "ran 2 miles") for chat_id in range(2, 42)]
    results = await asyncio.gather(*(
        logbook.log_message(program, chat_id, None, text) for chat_id, text in messages))
    today = logbook.today(program)
    assert logged(results[0]) == [("Emma", 4.0)]
    assert logged(results[1]) == [("Emma", 4.5)]
    assert results[2] == OverCap("Emma", today, 11.5, 10.0, today)  # with the two before
    assert logged(results[3]) == [("Jack", 1.0)]
    assert isinstance(results[4], Repeat)
    assert all(logged(r) == [("Zoe", 2.0)] for r in results[5:])
    assert len(batches) < len(messages)
    assert [message for batch in batches for message in batch] == messages
    async with db.session() as session:
        first = await families.family_id(session, 1)
        assert first is not None
        emma_and_jack = await mile_logs.totals(session, first)
        zoes = [sum((await mile_logs.totals(session, f)).values()) for f in range(2, 42)]
    assert sorted(emma_and_jack.values()) == [100, 850]
    assert zoes == [200] * 40


async def test_a_log_says_what_was_logged_and_each_childs_total_after_it(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program: Program = programs["kroc"]
    await family(db, 1, "Emma", "Jack")
    logbook = Logbook(db, milestone_text=plain)
    await logbook.log_message(program, 1, None, "Emma ran 2 miles yesterday")
    result = await logbook.log_message(program, 1, None, "Emma ran 1 mile, Jack walked half a mile")
    today = logbook.today(program)
    assert isinstance(result, Logged) and result.program == program and result.today == today
    emma, jack = (e.child_id for e in result.entries)
    assert result.entries == (LoggedEntry(emma, "Emma", 1.0, today, "run"),
                              LoggedEntry(jack, "Jack", 0.5, today, "walk"))
    assert result.totals == (Total(emma, "Emma", 3.0), Total(jack, "Jack", 0.5))


async def test_miles_in_minutes_are_refused_with_the_parsers_reason_but_questions_are_not(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    await family(db, 1, "Emma", "Jack")
    logbook = Logbook(db, milestone_text=plain)
    today = logbook.today(program)
    for text in ("emma ran for 20 minutes", "we jogged 30 min today", "Emma did 10000 steps"):
        reason = parse_miles(text, today=today, children=["Emma", "Jack"]).reason
        assert reason is not None
        assert await logbook.log_message(program, 1, None, text) == Rejected(reason), text
    for text in ("how many minutes should they run?",
                 "the drive to the event is like 3 hrs for us wat can we do",
                 "my kids run 20 minutes a day is that enough"):
        assert await logbook.log_message(program, 1, None, text) == NotALog(), text
    assert await logbook.log_message(program, 1, None, "20 minutes", explicit=True) == Rejected(
        parse_miles("20 minutes", today=today, explicit=True).reason)


async def test_a_question_is_answered_by_its_own_chat_only_and_once(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    await family(db, 1, "Emma", "Jack")
    logbook = Logbook(db, milestone_text=plain)
    which = await logbook.log_message(program, 1, None, "ran 2 miles")
    assert isinstance(which, NeedsChild)
    assert [c.first_name for c in which.kids] == ["Emma", "Jack"]
    assert await logbook.confirmed(program, 2, which.token, "all") == Expired()  # not theirs
    assert logged(await logbook.confirmed(program, 1, which.token, "all")) == [("Emma", 2.0),
                                                                               ("Jack", 2.0)]
    assert await logbook.confirmed(program, 1, which.token, "all") == Expired()  # only once


async def test_cancelling_drops_only_that_chats_questions(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    await family(db, 1, "Emma", "Jack")
    await family(db, 2, "Zoe", "Max")
    logbook = Logbook(db, milestone_text=plain)
    first = await logbook.log_message(program, 1, None, "ran 2 miles")
    second = await logbook.log_message(program, 1, None, "ran 3 miles")
    theirs = await logbook.log_message(program, 2, None, "ran 1 mile")
    assert isinstance(first, NeedsChild) and isinstance(second, NeedsChild)
    assert isinstance(theirs, NeedsChild)
    assert logbook.cancel_pending(1) == 2
    assert logbook.cancel_pending(1) == 0
    assert await logbook.confirmed(program, 1, first.token, "all") == Expired()
    assert await logbook.confirmed(program, 1, second.token, "all") == Expired()
    assert logged(await logbook.confirmed(program, 2, theirs.token, "all")) == [("Zoe", 1.0),
                                                                                ("Max", 1.0)]


async def test_undo_takes_back_the_latest_log_once(db: Database, programs) -> None:  # type: ignore[no-untyped-def]
    program = programs["kroc"]
    await family(db, 1, "Emma")
    logbook = Logbook(db, milestone_text=plain)
    await logbook.log_message(program, 1, None, "Emma 1 mile")
    latest = await logbook.log_message(program, 1, None, "Emma 2 miles")
    assert isinstance(latest, Logged)
    undone = await logbook.undo(program, 1)
    assert isinstance(undone, Undone)
    assert [(e.name, e.miles) for e in undone.entries] == [("Emma", 2.0)]
    assert [(t.name, t.miles) for t in undone.totals] == [("Emma", 1.0)]
    assert await logbook.undo(program, 1, latest.log_id) == NothingToUndo(already=True)
    assert isinstance(await logbook.undo(program, 1), Undone)
    assert await logbook.undo(program, 1) == NothingToUndo(already=False)


async def test_history_pages_back_to_the_oldest_entry_and_deleting_asks_first(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    await family(db, 1, "Emma")
    logbook = Logbook(db, milestone_text=plain)
    for hundredths in range(1, 26):
        assert logged(await logbook.log_message(program, 1, None, f"{hundredths / 100}",
                                                explicit=True))
    first = await logbook.history(1)
    assert (first.page, first.pages, first.newer, first.older) == (0, 3, False, True)
    assert [e.hundredths for e in first.entries] == list(range(25, 15, -1))
    last = await logbook.history(1, page=2)
    assert [e.hundredths for e in last.entries] == [5, 4, 3, 2, 1]
    assert (last.newer, last.older) == (True, False)
    assert await logbook.history(1, page=99) == last  # a page gone since: the last there is
    assert len(first.entries) == PAGE_SIZE
    oldest = last.entries[-1]
    assert await logbook.ask_delete(1, oldest.id) == SureToDelete(oldest)
    assert await logbook.ask_delete(2, oldest.id) == AlreadyGone()  # another family's entry
    assert (await logbook.history(1, 2)).entries[-1] == oldest  # asking deleted nothing
    assert await logbook.delete(program, 1, oldest.id) == Deleted(oldest)
    assert await logbook.delete(program, 1, oldest.id) == AlreadyGone()
    assert (await logbook.history(1, 2)).entries[-1].hundredths == 2
    assert await logbook.history(3) == History((), 0, 1)  # no family yet


async def test_crossing_a_milestone_queues_one_congratulation_however_often_undone(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    from bot.delivery import Delivery

    program = programs["little-rockers"]
    await family(db, 1, "Emma")
    clock_now = [repo.utcnow()]
    logbook = Logbook(db, now=lambda: clock_now[0], milestone_text=plain)

    async def milestones() -> list[tuple[str, str, str]]:
        async with db.session() as session:
            return [m for m in await outbox.messages_to(session, 1) if m[0] == "milestone"]

    await logbook.log_message(program, 1, None, "Emma ran 5 miles yesterday")
    await logbook.log_message(program, 1, None, "Emma ran 4.5 miles")
    assert await milestones() == [("milestone", "pending", "Emma 5")]
    await logbook.log_message(program, 1, None, "Emma 1 mile")  # 10.5: crosses 10
    assert [m[2] for m in await milestones()] == ["Emma 5", "Emma 10"]
    await logbook.undo(program, 1)  # back to 9.5 before it was sent: withdrawn
    assert [m[2] for m in await milestones()] == ["Emma 5"]
    await logbook.log_message(program, 1, None, "Emma 1 mile")  # 10.5 again
    assert len(await milestones()) == 2

    class Bot:  # records what the delivery sends
        def __init__(self) -> None:
            self.sent: list[str] = []

        async def send_message(self, chat_id: int, text: str, **_options: object) -> None:
            self.sent.append(text)

    clock_now[0] += dt.timedelta(minutes=2)
    bot = Bot()
    await Delivery(db, now=lambda: clock_now[0]).tick(bot)  # type: ignore[arg-type]
    await logbook.undo(program, 1)  # sent already: stays sent
    await logbook.log_message(program, 1, None, "Emma 1 mile")  # crossing 10 a third time
    clock_now[0] += dt.timedelta(minutes=2)
    await Delivery(db, now=lambda: clock_now[0]).tick(bot)  # type: ignore[arg-type]
    assert bot.sent == ["Emma 5", "Emma 10"]
    assert [m[1] for m in await milestones()] == ["sent", "sent"]
