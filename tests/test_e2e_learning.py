"""End to end: families teach the FAQ a wording by picking the same suggestion, an organizer
accepts it, and the next family gets the answer outright, without a restart; a second worker
on the same database sees it too."""

from __future__ import annotations

import pytest

from bot.config import Settings
from bot.domain.asking import Answered
from bot.domain.learning import Accepted, Review
from bot.services import Services, build_services
from tests.chat import presses, says
from tests.fake_bot_api import FakeBotApi

WATER = ("do they need a water bottle at practice", "does my kid need a water bottle at practice",
         "do they need a water bottle at practice?")
PRACTICES = "When and where are practices?"
ORGANIZER = 777  # ORGANIZER_IDS in the test settings


async def test_three_families_picks_and_one_tap_teach_the_bot_a_wording(  # type: ignore[no-untyped-def]
        fake_api: FakeBotApi, running_bot) -> None:
    for chat, text in zip((601, 602, 603), WATER, strict=True):
        await says(fake_api, "/start kroc", chat=chat)
        [choices] = await says(fake_api, text, chat=chat)
        assert choices["text"].startswith("I'm not quite sure what you mean.")
        [answer] = await presses(fake_api, choices, PRACTICES, chat=chat)
    learning = running_bot.bot_data["services"].learning
    review = await learning.review("kroc", ORGANIZER)
    assert isinstance(review, Review)
    [candidate] = review.candidates
    assert (candidate.entry_id, candidate.families) == ("practice-details", 3)
    accepted = await learning.accept("kroc", ORGANIZER, candidate.id)
    assert isinstance(accepted, Accepted)
    await says(fake_api, "/start kroc", chat=604)
    [outright] = await says(fake_api, candidate.text, chat=604)
    assert outright["text"] == answer["text"]  # the answer itself, no "did you mean"


@pytest.fixture
async def two_workers(settings: Settings) -> list[Services]:
    """Two services on one database, as two webhook workers are (PostgreSQL when
    TEST_POSTGRES_URL is set, else one SQLite file opened twice)."""
    import os

    url = os.environ.get("TEST_POSTGRES_URL")
    if url:
        from sqlalchemy import text
        from sqlalchemy.ext.asyncio import create_async_engine

        engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
        settings = settings.model_copy(update={"database_url": url})
    workers = [build_services(settings, sending=False) for _ in range(2)]
    for worker in workers:
        worker.faq.refresh_seconds = 0  # look at every question (the default: every 2 s)
        await worker.initialize()
    yield workers
    for worker in workers:
        await worker.shutdown()


async def test_another_worker_answers_what_one_worker_learned(two_workers: list[Services]
                                                              ) -> None:
    one, other = two_workers
    kroc = one.programs["kroc"]
    before = await other.asking.ask(kroc, 700, "private", WATER[0])
    assert not isinstance(before, Answered)  # and `other` has built its matcher already
    for chat, text in zip((701, 702, 703), WATER, strict=True):
        asked = await one.asking.ask(kroc, chat, "private", text)
        await one.asking.pick(chat, asked.question_id, "practice-details")  # type: ignore[union-attr]
    review = await one.learning.review("kroc", ORGANIZER)
    assert isinstance(review, Review)
    assert isinstance(await one.learning.accept("kroc", ORGANIZER, review.candidates[0].id),
                      Accepted)
    after = await other.asking.ask(kroc, 704, "private", review.candidates[0].text)
    assert isinstance(after, Answered) and after.entry.id == "practice-details"
