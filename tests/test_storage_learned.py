"""The FAQ's learned layer in storage, on both databases: every change moves the program's
version (what other workers watch), a wording is proposed once, and a decision is taken once."""

from __future__ import annotations

import datetime as dt

from storage import learned
from storage.db import Database

NOW = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)


async def test_each_change_moves_the_programs_version_and_no_other(db: Database) -> None:
    async with db.session() as session, session.begin():
        assert await learned.version(session, "kroc") == 0
        row = await learned.propose(session, "kroc", "spectators", "can nana watch", 3, NOW)
        assert row is not None and row.status == learned.CANDIDATE
        assert await learned.version(session, "kroc") == 1
        await learned.decide(session, "kroc", row.id, learned.ACCEPTED, 777, NOW)
        await learned.add_entry(session, "kroc", "race-shirts", "Race day", "Shirts?", "Yes.",
                                ("is there a shirt",), 777, NOW)
        assert await learned.version(session, "kroc") == 3
        assert await learned.version(session, "little-rockers") == 0


async def test_a_wording_is_proposed_once_and_its_family_count_only_grows(db: Database
                                                                         ) -> None:
    async with db.session() as session, session.begin():
        first = await learned.propose(session, "kroc", "spectators", "can nana watch", 3, NOW)
        assert first is not None
        assert await learned.propose(session, "kroc", "spectators", "can nana watch", 5,
                                     NOW) is None
        assert await learned.propose(session, "kroc", "spectators", "can nana watch", 4,
                                     NOW) is None
        [row] = await learned.alternates(session, "kroc")
        assert (row.families, await learned.version(session, "kroc")) == (5, 1)


async def test_a_candidate_is_decided_once_and_other_programs_cannot_touch_it(db: Database
                                                                             ) -> None:
    async with db.session() as session, session.begin():
        row = await learned.propose(session, "kroc", "spectators", "can nana watch", 3, NOW)
        assert row is not None
        assert await learned.decide(session, "little-rockers", row.id, learned.ACCEPTED, 1,
                                    NOW) is None
        edited = await learned.decide(session, "kroc", row.id, learned.ACCEPTED, 777, NOW,
                                      text="Can grandparents watch?")
        assert edited is not None and (edited.asked, edited.text) == (
            "can nana watch", "Can grandparents watch?")
        assert await learned.decide(session, "kroc", row.id, learned.REJECTED, 778,
                                    NOW) is None  # only from candidate, unless asked
        assert [a.text for a in await learned.alternates(session, "kroc", learned.ACCEPTED)
                ] == ["Can grandparents watch?"]


async def test_exported_rows_are_marked_and_a_taken_entry_id_is_refused(db: Database) -> None:
    async with db.session() as session, session.begin():
        entry = await learned.add_entry(session, "kroc", "race-shirts", "Race day", "Shirts?",
                                        "Yes.", ("is there a shirt",), 777, NOW)
        assert entry is not None and entry.alternates == ("is there a shirt",)
        assert await learned.add_entry(session, "kroc", "race-shirts", "x", "y", "z", (), 1,
                                       NOW) is None
        await learned.mark_exported(session, "kroc", [], [entry.id], NOW)
        [stored] = await learned.entries(session, "kroc")
        assert stored.exported


async def test_a_parents_pick_and_an_organizers_accept_at_once_never_deadlock(db: Database
                                                                             ) -> None:
    """Two webhook workers: one learns from a parent's pick (a new wording of one entry, then
    the family count of another), while the other accepts that other wording. Both finish."""
    import asyncio

    import pytest

    if not db.on_postgresql:
        pytest.skip("SQLite runs one writer at a time")
    async with db.session() as session, session.begin():
        other = await learned.propose(session, "kroc", "refunds", "money back?", 3, NOW)
        assert other is not None
    proposed, accepting = asyncio.Event(), asyncio.Event()

    async def learn() -> None:
        async with db.session() as session, session.begin():
            await learned.propose(session, "kroc", "spectators", "can nana watch", 3, NOW)
            proposed.set()
            await accepting.wait()
            await asyncio.sleep(0.3)  # the accept is under way
            await learned.count_families(session, "kroc", "refunds", ["money back?"], 4)

    async def accept() -> None:
        await proposed.wait()
        async with db.session() as session, session.begin():
            accepting.set()
            await learned.decide(session, "kroc", other.id, learned.ACCEPTED, 777, NOW)

    await asyncio.wait_for(asyncio.gather(learn(), accept()), timeout=20)
    async with db.session() as session:
        assert await learned.version(session, "kroc") == 3
        assert [(a.asked, a.status) for a in await learned.alternates(session, "kroc")] == [
            ("money back?", learned.ACCEPTED), ("can nana watch", learned.CANDIDATE)]
