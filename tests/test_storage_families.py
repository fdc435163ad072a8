"""Families, children and miles in storage, on SQLite and (where reachable) PostgreSQL."""

import datetime as dt

import pytest

from storage import children, families, mile_logs, program_miles, repo
from storage.db import Database

MONDAY = dt.date(2026, 11, 23)


async def family_with_two_children(db: Database, chat_id: int = 100
                                   ) -> tuple[int, children.ChildRecord, children.ChildRecord]:
    async with db.session() as session, session.begin():
        await repo.save_chat(session, chat_id, "private", "kroc")
        family = await families.ensure_family(session, chat_id)
        emma = await children.add_child(session, family, "Emma", "R", "2", "Lincoln Elementary",
                                        "kroc")
        jack = await children.add_child(session, family, "Jack", None, "K", None, "kroc")
    return family, emma, jack


async def log(db: Database, family: int, *entries: mile_logs.NewEntry, text: str = "ran") -> int:
    async with db.session() as session, session.begin():
        return await mile_logs.add_log(session, family, text, text, 7, entries)


async def test_a_family_is_created_once_per_chat(db: Database) -> None:
    async with db.session() as session, session.begin():
        await repo.save_chat(session, 100, "group", "kroc")
        first = await families.ensure_family(session, 100)
        again = await families.ensure_family(session, 100)
    assert first == again


async def test_children_are_listed_renamed_and_removed(db: Database) -> None:
    family, emma, jack = await family_with_two_children(db)
    assert emma.name == "Emma R." and jack.name == "Jack"
    async with db.session() as session, session.begin():
        renamed = await children.rename_child(session, family, jack.id, "Jackson", "T")
        await children.remove_child(session, family, emma.id)
        listed = await children.children(session, family)
    assert renamed is not None and renamed.name == "Jackson T."
    assert [c.name for c in listed] == ["Jackson T."]


async def test_another_family_cannot_touch_a_child(db: Database) -> None:
    _, emma, _ = await family_with_two_children(db, chat_id=100)
    other, _, _ = await family_with_two_children(db, chat_id=200)
    async with db.session() as session, session.begin():
        assert await children.rename_child(session, other, emma.id, "X", None) is None
        assert await children.remove_child(session, other, emma.id) is None


async def test_totals_are_exact_and_undo_takes_a_whole_message_back(db: Database) -> None:
    family, emma, jack = await family_with_two_children(db)
    for _ in range(3):
        await log(db, family, mile_logs.NewEntry(emma.id, 10, MONDAY))  # 0.1 mile three times
    both = await log(db, family, mile_logs.NewEntry(emma.id, 100, MONDAY, "run"),
                     mile_logs.NewEntry(jack.id, 200, MONDAY), text="Emma 1, Jack 2")
    async with db.session() as session:
        assert await mile_logs.totals(session, family) == {emma.id: 130, jack.id: 200}
        latest = await mile_logs.get_log(session, family)
    assert latest is not None and latest.id == both
    assert [(e.child_name, e.hundredths) for e in latest.entries] == [("Emma R.", 100),
                                                                      ("Jack", 200)]
    async with db.session() as session, session.begin():
        assert await mile_logs.undo_log(session, family, both)
        assert not await mile_logs.undo_log(session, family, both)  # twice: nothing more
    async with db.session() as session:
        assert await mile_logs.totals(session, family) == {emma.id: 30}
        assert (await mile_logs.get_log(session, family)).id != both


async def test_a_deleted_entry_stops_counting_and_history_shows_newest_first(db: Database
                                                                             ) -> None:
    family, emma, _ = await family_with_two_children(db)
    await log(db, family, mile_logs.NewEntry(emma.id, 100, MONDAY - dt.timedelta(days=1)))
    await log(db, family, mile_logs.NewEntry(emma.id, 50, MONDAY))
    async with db.session() as session, session.begin():
        history = await mile_logs.recent_entries(session, family)
        assert [e.day for e in history] == [MONDAY, MONDAY - dt.timedelta(days=1)]
        deleted = await mile_logs.delete_entry(session, family, history[0].id)
        assert deleted is not None and deleted.hundredths == 50
        assert await mile_logs.delete_entry(session, family, history[0].id) is None
    async with db.session() as session:
        assert await mile_logs.totals(session, family) == {emma.id: 100}
        assert await mile_logs.child_days(session, emma.id) == [
            (MONDAY - dt.timedelta(days=1), 100)]


async def test_a_repeated_message_is_found_until_it_is_undone(db: Database) -> None:
    family, emma, _ = await family_with_two_children(db)
    since = repo.utcnow() - dt.timedelta(minutes=10)
    first = await log(db, family, mile_logs.NewEntry(emma.id, 100, MONDAY), text="ran a mile")
    async with db.session() as session, session.begin():
        assert await mile_logs.recent_fingerprints(session, [family], since) == {
            (family, "ran a mile")}
        await mile_logs.undo_log(session, family, first)
        assert await mile_logs.recent_fingerprints(session, [family], since) == set()


async def test_several_logs_are_written_together_in_order(db: Database) -> None:
    family, emma, jack = await family_with_two_children(db)
    other, zoe, _ = await family_with_two_children(db, chat_id=200)
    async with db.session() as session, session.begin():
        ids = await mile_logs.add_logs(session, [
            mile_logs.NewLog(family, "a", "a", 1, (mile_logs.NewEntry(emma.id, 100, MONDAY),
                                                  mile_logs.NewEntry(jack.id, 200, MONDAY))),
            mile_logs.NewLog(other, "b", "b", 2, (mile_logs.NewEntry(zoe.id, 300, MONDAY),)),
        ])
    async with db.session() as session:
        first = await mile_logs.get_log(session, family, ids[0])
        second = await mile_logs.get_log(session, other, ids[1])
        both = await families.chats_with_children(session, [100, 200, 404])
    assert [e.hundredths for e in first.entries] == [100, 200]
    assert [e.hundredths for e in second.entries] == [300]
    assert set(both) == {100, 200}
    assert [c.first_name for c in both[100][1]] == ["Emma", "Jack"]
    assert both[200][0] == "kroc"


async def test_day_totals_feed_the_daily_cap(db: Database) -> None:
    family, emma, jack = await family_with_two_children(db)
    await log(db, family, mile_logs.NewEntry(emma.id, 300, MONDAY),
              mile_logs.NewEntry(jack.id, 100, MONDAY))
    await log(db, family, mile_logs.NewEntry(emma.id, 250, MONDAY))
    async with db.session() as session:
        found = await mile_logs.day_totals(session, [emma.id, jack.id])
    assert found == {(emma.id, MONDAY): 550, (jack.id, MONDAY): 100}


async def test_export_lists_every_child_of_the_program_with_totals(db: Database) -> None:
    family, emma, _jack = await family_with_two_children(db)
    await log(db, family, mile_logs.NewEntry(emma.id, 520, MONDAY))
    async with db.session() as session, session.begin():
        await repo.save_chat(session, 300, "private", "little-rockers")
        other = await families.ensure_family(session, 300)
        await children.add_child(session, other, "Zoe", None, "3", None, "little-rockers")
    async with db.session() as session:
        rows = await program_miles.export_rows(session, "kroc")
        lincoln = await program_miles.export_rows(session, "kroc", school="lincoln elementary")
    assert [(r.child.name, r.total_hundredths, r.entries) for r in rows] == [
        ("Jack", 0, 0), ("Emma R.", 520, 1)]  # no school first, then by school
    assert [r.child.name for r in lincoln] == ["Emma R."]


async def test_a_failed_log_leaves_no_half_written_entries(db: Database) -> None:
    family, emma, _ = await family_with_two_children(db)
    with pytest.raises(RuntimeError):
        async with db.session() as session, session.begin():
            await mile_logs.add_log(session, family, "x", "x", None,
                                   [mile_logs.NewEntry(emma.id, 100, MONDAY)])
            raise RuntimeError("crash between the log and its reply")
    async with db.session() as session:
        assert await mile_logs.totals(session, family) == {}
        assert await mile_logs.get_log(session, family) is None


async def test_a_group_that_becomes_a_supergroup_keeps_its_family(db: Database) -> None:
    from storage import outbox

    family, emma, _ = await family_with_two_children(db, chat_id=-100)
    await log(db, family, mile_logs.NewEntry(emma.id, 100, MONDAY))
    async with db.session() as session, session.begin():
        await outbox.enqueue(session, [outbox.NewMessage(-100, "milestone", "🎉", repo.utcnow(),
                                                         "milestone:1:500")])
    async with db.session() as session, session.begin():
        assert await repo.move_chat(session, -100, -1001234567890)
        assert not await repo.move_chat(session, -100, -1001234567890)  # once is enough
    async with db.session() as session:
        moved = await families.chats_with_children(session, [-100, -1001234567890])
        assert await repo.get_chat(session, -100) is None
    assert list(moved) == [-1001234567890]
    program, kids = moved[-1001234567890]
    assert program == "kroc" and [c.first_name for c in kids] == ["Emma", "Jack"]
    async with db.session() as session:  # its queued messages (and used keys) moved too
        assert await outbox.messages_to(session, -1001234567890) == [
            ("milestone", "pending", "🎉")]
