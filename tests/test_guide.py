"""What /help and the welcome are drawn from: the chat's program, its children by first name,
and whether the reader sees the organizers' tools (an organizer, in a private chat only)."""

from __future__ import annotations

from bot.domain.chats import Chats
from bot.domain.guide import Guide, HelpFacts, Welcome
from bot.domain.kids import Kids
from bot.domain.roles import Roles
from storage.db import Database

ORGANIZER, PARENT, GROUP = 777, 501, -100


def guide(db: Database, programs, kbs) -> Guide:  # type: ignore[no-untyped-def]
    return Guide(Chats(db, programs), Kids(db), kbs, Roles(frozenset({ORGANIZER})))


async def test_help_names_the_familys_children_and_its_program(  # type: ignore[no-untyped-def]
        db: Database, programs, kbs) -> None:
    help_ = guide(db, programs, kbs)
    assert await help_.help(PARENT, "private", PARENT) == HelpFacts(None, (), False)
    await help_.chats.choose_program(PARENT, "private", "kroc")
    await help_.kids.add(PARENT, "private", "Max", None, "3", None)
    await help_.kids.add(PARENT, "private", "Emma", "R", "2", None)
    assert await help_.help(PARENT, "private", PARENT) == HelpFacts(
        programs["kroc"], ("Max", "Emma"), False)


async def test_an_organizer_sees_their_tools_in_a_private_chat_only(  # type: ignore[no-untyped-def]
        db: Database, programs, kbs) -> None:
    help_ = guide(db, programs, kbs)
    assert (await help_.help(ORGANIZER, "private", ORGANIZER)).organizer
    assert not (await help_.help(GROUP, "group", ORGANIZER)).organizer  # a family group
    assert not (await help_.help(PARENT, "private", None)).organizer


async def test_the_welcome_carries_the_programs_faq_and_whether_the_chat_is_back(  # type: ignore[no-untyped-def]
        db: Database, programs, kbs) -> None:
    help_ = guide(db, programs, kbs)
    kroc = programs["kroc"]
    assert await help_.welcome(PARENT, kroc) == Welcome(kroc, kbs["kroc"], (), False)
    await help_.chats.choose_program(PARENT, "private", "kroc")
    await help_.kids.add(PARENT, "private", "Max", None, "3", None)
    assert await help_.welcome(PARENT, kroc, returning=True) == Welcome(
        kroc, kbs["kroc"], ("Max",), True)
