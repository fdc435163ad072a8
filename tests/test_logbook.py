"""Logging many messages at once: they share transactions, and each still sees the ones before
it (the daily cap, a repeated message), on SQLite and PostgreSQL."""

import asyncio
import datetime as dt

from bot.domain.logbook import Logbook
from storage import families, repo
from storage.db import Database


async def family(db: Database, chat_id: int, *names: str) -> None:
    async with db.session() as session, session.begin():
        await repo.save_chat(session, chat_id, "private", "kroc")
        family_id = await families.ensure_family(session, chat_id)
        for name in names:
            await families.add_child(session, family_id, name, None, "2", None)


async def test_messages_arriving_together_share_a_transaction_in_arrival_order(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    program = programs["kroc"]
    await family(db, 1, "Emma", "Jack")
    for chat_id in range(2, 42):
        await family(db, chat_id, "Zoe")
    logbook = Logbook(db)
    batches: list[int] = []
    write_together = logbook._write_together

    async def counted(requests):  # type: ignore[no-untyped-def]
        batches.append(len(requests))
        return await write_together(requests)

    logbook._write_together = counted  # type: ignore[method-assign]
    messages = [(1, "Emma ran 4 miles"), (1, "Emma ran 4.5 miles"), (1, "Emma ran 3 miles"),
                (1, "Jack 1 mile"), (1, "Jack 1 mile")]
    messages += [(chat_id, "ran 2 miles") for chat_id in range(2, 42)]
    replies = await asyncio.gather(*(
        logbook.log_message(program, chat_id, None, text) for chat_id, text in messages))
    texts = [r.text for r in replies if r is not None]
    assert texts[0].startswith("✅ Logged 4 miles for Emma")
    assert texts[1].startswith("✅ Logged 4.5 miles for Emma")
    assert "more than the program's 10 miles a day" in texts[2]  # 11.5 with the two before
    assert texts[3].startswith("✅ Logged 1 mile for Jack")
    assert texts[4].startswith("You logged exactly these miles a few minutes ago.")
    assert all(t.startswith("✅ Logged 2 miles for Zoe") for t in texts[5:])
    assert len(batches) < len(messages) and sum(batches) == len(messages)
    async with db.session() as session:
        emma_and_jack = await families.totals(session, await families.family_id(session, 1))
        zoes = [sum((await families.totals(session, f)).values()) for f in range(2, 42)]
    assert sorted(emma_and_jack.values()) == [100, 850]
    assert zoes == [200] * 40


async def test_crossing_a_milestone_queues_one_congratulation_however_often_undone(  # type: ignore[no-untyped-def]
        db: Database, programs) -> None:
    from bot.delivery import Delivery
    from storage import outbox

    program = programs["little-rockers"]
    await family(db, 1, "Emma")
    clock_now = [repo.utcnow()]
    logbook = Logbook(db, now=lambda: clock_now[0])

    async def milestones() -> list[tuple[str, str, str]]:
        async with db.session() as session:
            return [m for m in await outbox.messages_to(session, 1) if m[0] == "milestone"]

    await logbook.log_message(program, 1, None, "Emma ran 5 miles yesterday")
    await logbook.log_message(program, 1, None, "Emma ran 4.5 miles")
    assert await milestones() == [("milestone", "pending", milestones_text := (
        "🎉 Emma reached 5 miles! Time to present an award: make it a special time, "
        "recognition is important! 20.2 miles to go to 25.2."))]
    await logbook.log_message(program, 1, None, "Emma 1 mile")  # 10.5: crosses 10
    assert [m[2].split("!")[0] for m in await milestones()] == ["🎉 Emma reached 5 miles",
                                                                "🎉 Emma reached 10 miles"]
    await logbook.undo(program, 1)  # back to 9.5 before it was sent: withdrawn
    assert [m[2].split("!")[0] for m in await milestones()] == ["🎉 Emma reached 5 miles"]
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
    assert bot.sent == [milestones_text, "🎉 Emma reached 10 miles! Time to present an award: "
                        "make it a special time, recognition is important! 15.2 miles to go "
                        "to 25.2."]
    assert [m[1] for m in await milestones()] == ["sent", "sent"]
