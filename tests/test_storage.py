"""Storage contract, run on SQLite and (where reachable) PostgreSQL from an empty database."""

import datetime as dt
import logging

import pytest
from sqlalchemy import inspect, text, update
from sqlalchemy.exc import IntegrityError

from storage import children, families, mile_logs, repo, updates
from storage.db import Database
from storage.models import Question


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


async def test_organizers_get_questions_left_at_the_choices_once_a_while_has_passed(
        db: Database) -> None:
    """Nothing found, "None of these", and choices offered before the cut-off without a pick;
    not the answered, the picked, choices still fresh, or another program's."""
    cut_off = repo.utcnow() - dt.timedelta(hours=1)
    async with db.session() as session, session.begin():
        await repo.save_chat(session, 21, "private", "kroc")
        ids = {}
        for text, outcome in (("bathrooms?", repo.UNANSWERED), ("coach", repo.NONE_OF_THESE),
                              ("left", repo.SUGGESTED), ("fresh", repo.SUGGESTED),
                              ("refund?", repo.ANSWERED), ("shoes", repo.PICKED)):
            ids[text] = await repo.record_question(session, chat_id=21, program="kroc",
                                                   text=text, outcome=outcome)
        await repo.record_question(session, chat_id=21, program="little-rockers",
                                   text="theirs", outcome=repo.UNANSWERED)
        await session.execute(update(Question).where(Question.id.in_(
            [ids["left"], ids["refund?"], ids["shoes"]])).values(
                asked_at=cut_off - dt.timedelta(minutes=1)))
    async with db.session() as session:
        found = await repo.questions_for_organizers(session, "kroc", cut_off)
    assert [(q.text, q.outcome) for q in found] == [
        ("left", repo.SUGGESTED), ("bathrooms?", repo.UNANSWERED),
        ("coach", repo.NONE_OF_THESE)]


async def test_the_names_families_typed_are_a_programs_own(db: Database) -> None:
    async with db.session() as session, session.begin():
        for chat, program in ((22, "kroc"), (23, "little-rockers")):
            await repo.save_chat(session, chat, "private", program)
        kroc = await families.ensure_family(session, 22)
        rockers = await families.ensure_family(session, 23)
        await children.add_child(session, kroc, "Emma", "R", "2", "Lincoln", "kroc")
        await children.add_child(session, kroc, "Jack", None, "K", None, "kroc")
        await children.add_child(session, rockers, "Mia", None, "1", "Adams", "little-rockers")
    async with db.session() as session:
        assert await children.names_in_program(session, "kroc") == {"Emma", "Lincoln", "Jack"}


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


async def test_a_failing_statement_is_logged_without_its_values(  # type: ignore[no-untyped-def]
        db: Database, caplog) -> None:
    """A child's name in a failed INSERT must not reach the logs: neither as a bound parameter
    nor in PostgreSQL's "Failing row contains (...)" (the bot logs every error with its
    traceback, as misc.on_error does here), nor in a driver's DEBUG lines."""
    caplog.set_level(logging.DEBUG)  # LOG_LEVEL=DEBUG
    name = "".join(["Zel", "dagard"])  # built here, so no source line in a traceback shows it
    async with db.session() as session, session.begin():
        await repo.save_chat(session, 10, "private", "kroc")
        family = await families.ensure_family(session, 10)
    with pytest.raises(IntegrityError) as failed:
        async with db.session() as session, session.begin():
            await children.add_child(session, family, name, None, None, None, "kroc")  # type: ignore[arg-type]
    logging.getLogger("bot.handlers.misc").error("Error while handling an update",
                                                 exc_info=failed.value)
    assert "IntegrityError" in caplog.text and "INSERT INTO children" in caplog.text
    assert "grade" in caplog.text  # what went wrong is still told
    assert name not in caplog.text


async def test_a_nul_character_typed_in_a_message_is_dropped_not_a_failed_write(
        db: Database) -> None:
    """PostgreSQL refuses U+0000 in text: a question, a child's school and a mile log that
    carry one are stored without it, on both databases."""
    async with db.session() as session, session.begin():
        await repo.save_chat(session, 11, "private", "kroc")
        question = await repo.record_question(session, chat_id=11, program="kroc",
                                              text="refund?\x00", outcome=repo.UNANSWERED)
        family = await families.ensure_family(session, 11)
        child = await children.add_child(session, family, "Emma", None, "2", "Lin\x00coln",
                                         "kroc")
        await mile_logs.add_log(session, family, "Emma ran 1 mile\x00", "fp", None,
                                [mile_logs.NewEntry(child.id, 100, dt.date(2026, 11, 30), None)])
    async with db.session() as session:
        [stored] = await repo.open_questions(session, "kroc", 10)
        kids = await children.children(session, family)
        log = await mile_logs.get_log(session, family)
    assert (stored.id, stored.text) == (question, "refund?")
    assert kids[0].school == "Lincoln"
    assert log is not None and log.text == "Emma ran 1 mile"


async def test_half_an_emoji_typed_in_a_question_is_dropped_not_a_failed_write(
        db: Database) -> None:
    """A lone surrogate (half of "🏃", which a client can send escaped in JSON) cannot be
    encoded by either database: it is dropped, the rest is kept."""
    async with db.session() as session, session.begin():
        await repo.save_chat(session, 12, "private", "kroc")
        await repo.record_question(session, chat_id=12, program="kroc",
                                   text="refund? \ud83c", outcome=repo.UNANSWERED)
    async with db.session() as session:
        [stored] = await repo.open_questions(session, "kroc", 10)
    assert stored.text == "refund? "


async def test_a_round_takes_the_chats_no_other_worker_holds_and_locks_no_more(
        db: Database) -> None:
    """Chat 2 is held by another worker's round: a round of two takes 1 and 3, in order, and
    leaves 4 free for the next worker."""
    async with db.engine.connect() as other, other.begin():
        if db.on_postgresql:
            await other.execute(text("SELECT pg_advisory_xact_lock(2)"))
        async with db.session() as session, session.begin():
            taken = await updates.claim_chats(session, [1, 2, 3, 4], 2)
            assert taken == ([1, 3] if db.on_postgresql else [1, 2])
            if db.on_postgresql:
                assert await other.scalar(text("SELECT pg_try_advisory_xact_lock(4)"))
