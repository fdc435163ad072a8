"""A unit of work (the handling loop's round) on SQLite and PostgreSQL: once a write inside it
fails and rolls back, nothing more of that work can be written, so doing it again can never
apply it twice."""

from __future__ import annotations

import pytest

from storage import repo
from storage.db import Database, UnitUndone


class Redo(Exception):
    """The round's owner undoes the round, to do it again."""


async def stored_chats(db: Database) -> set[int]:
    async with db.session() as session:
        return {c for c in (1, 2, 3) if await repo.get_chat(session, c) is not None}


async def test_side_by_side_a_failed_write_undoes_the_round_and_nothing_after_it_lands(
        db: Database) -> None:
    await db.upgrade()
    with pytest.raises(Redo):
        async with db.unit_of_work():
            with db.side_by_side():
                async with db.session() as early, early.begin():  # opened before the failure
                    with pytest.raises(RuntimeError):
                        async with db.session() as failing, failing.begin():
                            await repo.save_chat(failing, 1, "private", "kroc")
                            raise RuntimeError("this family's write failed")
                    with pytest.raises(UnitUndone):  # it would start a transaction of its own
                        await repo.save_chat(early, 2, "private", "kroc")
                with pytest.raises(UnitUndone):
                    db.session()
            raise Redo
    assert await stored_chats(db) == set()


async def test_in_an_updates_savepoint_a_failed_write_undoes_that_update_alone(
        db: Database) -> None:
    await db.upgrade()
    async with db.unit_of_work() as unit:
        async with db.savepoint(unit), db.session() as session, session.begin():
            await repo.save_chat(session, 1, "private", "kroc")
        with pytest.raises(RuntimeError):
            async with db.savepoint(unit):
                with pytest.raises(RuntimeError):
                    async with db.session() as failing, failing.begin():
                        await repo.save_chat(failing, 2, "private", "kroc")
                        raise RuntimeError("the reply could not be worded")
                with pytest.raises(UnitUndone):  # a later handler of the same update
                    db.session()
                raise RuntimeError("the update failed")
        async with db.savepoint(unit), db.session() as session, session.begin():
            await repo.save_chat(session, 3, "private", "kroc")
    assert await stored_chats(db) == {1, 3}
