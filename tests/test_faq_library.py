"""Each worker's view of a program's FAQ follows the learned layer in the shared database:
another worker's change within the refresh interval, its own at the next question, and never
work that was rolled back."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.domain.faq_library import FaqLibrary
from faq.kb import KnowledgeBase
from storage import learned
from storage.db import Database

NOW = dt.datetime(2026, 11, 1, 12, tzinfo=dt.UTC)
NANA = "can nana and papa come see the finish"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def accept(db: Database, text: str = NANA) -> None:
    async with db.session() as session, session.begin():
        await learned.accept_wording(session, "kroc", "spectators", text, 3, None, NOW)


def answers(library: FaqLibrary, text: str = NANA) -> str | None:
    entry = library.cached("kroc").matcher.match(text).entry
    return entry.id if entry else None


async def test_another_workers_change_is_seen_once_the_interval_has_passed(
        db: Database, kbs: dict[str, KnowledgeBase]) -> None:
    clock = Clock()
    library = FaqLibrary(db, kbs, refresh_seconds=2, clock=clock)
    assert (await library.current("kroc")).version == 0
    await accept(db)  # by another worker
    clock.now += 1
    assert (await library.current("kroc")).version == 0  # not looked at yet: no query
    clock.now += 1.5
    faq = await library.current("kroc")
    assert faq.version == 1 and NANA in faq.kb.entry("spectators").alternates  # type: ignore[union-attr]
    assert answers(library) == "spectators"
    assert await library.current("kroc") is faq  # unchanged: not rebuilt


async def test_its_own_change_is_seen_at_the_next_question(
        db: Database, kbs: dict[str, KnowledgeBase]) -> None:
    clock = Clock()
    library = FaqLibrary(db, kbs, refresh_seconds=2, clock=clock)
    await library.current("kroc")
    await accept(db)
    library.changed("kroc")
    assert (await library.current("kroc")).version == 1


async def test_a_change_rolled_back_is_never_built_into_the_matcher(
        db: Database, kbs: dict[str, KnowledgeBase]) -> None:
    library = FaqLibrary(db, kbs, refresh_seconds=0)
    with pytest.raises(RuntimeError):
        async with db.session() as session, session.begin():
            await learned.accept_wording(session, "kroc", "spectators", NANA, 3, None, NOW)
            library.changed("kroc")
            assert (await library.current("kroc")).version == 0  # not committed
            raise RuntimeError("the organizer's update failed")
    await accept(db, "can the whole family come cheer at the finish line")
    faq = await library.current("kroc")
    assert faq.version == 1 and NANA not in faq.kb.entry("spectators").alternates  # type: ignore[union-attr]
