"""Storage contract, run on SQLite and (where reachable) PostgreSQL from an empty database."""


import pytest
from sqlalchemy import inspect

from storage import repo
from storage.db import Database


async def test_migrations_create_the_tables_and_can_run_twice(db: Database) -> None:
    await db.upgrade()
    async with db.engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"chats", "questions", "alembic_version"} <= tables


async def test_a_chat_keeps_its_program_until_switched(db: Database) -> None:
    async with db.session() as session, session.begin():
        await repo.save_chat(session, 10, "private", "kroc")
    async with db.session() as session, session.begin():
        saved = await repo.save_chat(session, 10, "private")  # a later message: program kept
    assert saved == repo.ChatRecord(10, "private", "kroc", True)
    async with db.session() as session, session.begin():
        await repo.save_chat(session, 10, "private", "little-rockers")
    async with db.session() as session:
        assert (await repo.get_chat(session, 10)).program == "little-rockers"


async def test_telegram_chat_ids_beyond_32_bits_are_stored(db: Database) -> None:
    group_id = -1001234567890
    async with db.session() as session, session.begin():
        await repo.save_chat(session, group_id, "supergroup", "kroc")
    async with db.session() as session:
        assert (await repo.get_chat(session, group_id)).id == group_id


async def test_unanswered_questions_are_kept_for_organizers(db: Database) -> None:
    async with db.session() as session, session.begin():
        await repo.save_chat(session, 20, "private", "kroc")
        await repo.record_question(session, chat_id=20, program="kroc", text="bathrooms?",
                                   outcome=repo.UNANSWERED)
        await repo.record_question(session, chat_id=20, program="kroc", text="refund?",
                                   outcome=repo.ANSWERED, entry_id="refunds", score=0.9)
        suggested = await repo.record_question(session, chat_id=20, program="kroc",
                                               text="coach", outcome=repo.SUGGESTED)
    async with db.session() as session, session.begin():
        await repo.resolve_question(session, suggested, 20, repo.NONE_OF_THESE)
    async with db.session() as session:
        open_ = await repo.open_questions(session, "kroc")
        counts = await repo.question_counts(session, "kroc")
    assert [q.text for q in open_] == ["coach", "bathrooms?"]
    assert counts == {repo.UNANSWERED: 1, repo.ANSWERED: 1, repo.NONE_OF_THESE: 1}


async def test_another_chat_cannot_resolve_someones_question(db: Database) -> None:
    async with db.session() as session, session.begin():
        await repo.save_chat(session, 30, "private", "kroc")
        question = await repo.record_question(session, chat_id=30, program="kroc",
                                              text="coach", outcome=repo.SUGGESTED)
    async with db.session() as session, session.begin():
        assert await repo.resolve_question(session, question, 31, repo.PICKED, "x") is None


async def test_a_failed_transaction_leaves_nothing_behind(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.session() as session, session.begin():
            await repo.save_chat(session, 40, "private", "kroc")
            await repo.record_question(session, chat_id=40, program="kroc", text="hm",
                                       outcome=repo.UNANSWERED)
            raise RuntimeError("crash mid-way")
    async with db.session() as session:
        assert await repo.get_chat(session, 40) is None
        assert await repo.open_questions(session, "kroc") == []
