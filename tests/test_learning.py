"""The FAQ learns: wordings families picked the same suggestion for become candidates, organizers
accept, edit or reject them, attach unanswered groups to an entry or write a new one, and the
bot answers the learned wording outright at once. On both databases."""

from __future__ import annotations

import dataclasses

import pytest

from bot.domain.asking import Answered, Asking, Suggested, Unanswered
from bot.domain.faq_library import FaqLibrary
from bot.domain.learned_wordings import entry_id_for
from bot.domain.learning import (
    Accepted,
    Attached,
    Dismissed,
    EntryAdded,
    Gone,
    Incomplete,
    Learning,
    NotAnOrganizerHere,
    Rejected,
    Review,
    UnknownEntry,
)
from bot.domain.programs import Program
from faq.kb import KnowledgeBase
from storage import learned, repo
from storage.db import Database

WATER = ("do they need a water bottle at practice", "does my kid need a water bottle at practice",
         "do they need a water bottle at practice?")
ORGANIZER = 777


class Bot:
    """Asking and Learning as services wires them, one organizer allowed."""

    def __init__(self, db: Database, programs: dict[str, Program],
                 kbs: dict[str, KnowledgeBase]) -> None:
        async def allowed(user_id: int | None, action: str, program: str | None) -> bool:
            return user_id == ORGANIZER and action == "/review"

        self.programs = programs
        self.library = FaqLibrary(db, kbs, refresh_seconds=0)
        self.learning = Learning(db, programs, kbs, allowed=allowed, library=self.library)
        self.asking = Asking(db, programs, self.library, picked=self.learning.picked)

    async def ask_and_pick(self, chat_id: int, text: str, entry_id: str) -> None:
        result = await self.asking.ask(self.programs["kroc"], chat_id, "private", text)
        assert isinstance(result, Suggested), result
        assert entry_id in [e.id for e in result.entries]
        assert isinstance(await self.asking.pick(chat_id, result.question_id, entry_id),
                          Answered)

    async def review(self) -> Review:
        review = await self.learning.review("kroc", ORGANIZER)
        assert isinstance(review, Review)
        return review


@pytest.fixture
def bot(db: Database, programs: dict[str, Program], kbs: dict[str, KnowledgeBase]) -> Bot:
    return Bot(db, programs, kbs)


async def test_three_families_picking_one_entry_make_a_candidate_and_accepting_it_answers(
        bot: Bot) -> None:
    for chat_id, text in enumerate(WATER[:2], start=1):
        await bot.ask_and_pick(chat_id, text, "practice-details")
    assert (await bot.review()).candidates == ()  # two families are not enough
    await bot.ask_and_pick(3, WATER[2], "practice-details")
    [candidate] = (await bot.review()).candidates
    assert (candidate.entry_id, candidate.families) == ("practice-details", 3)
    assert candidate.text in WATER and set(candidate.wordings) < set(WATER)
    accepted = await bot.learning.accept("kroc", ORGANIZER, candidate.id)
    assert accepted == Accepted(candidate.id, "practice-details", candidate.text)
    answer = await bot.asking.ask(bot.programs["kroc"], 4, "private", candidate.text)
    assert isinstance(answer, Answered) and answer.entry.id == "practice-details"
    assert (await bot.review()).candidates == ()
    assert isinstance(await bot.learning.accept("kroc", ORGANIZER, candidate.id), Gone)


async def test_one_family_asking_three_times_teaches_nothing(bot: Bot) -> None:
    for text in WATER:
        await bot.ask_and_pick(5, text, "practice-details")
    assert (await bot.review()).candidates == ()


async def test_an_edited_candidate_is_learned_as_edited_and_a_rejected_one_never_returns(
        bot: Bot) -> None:
    for chat_id, text in enumerate(WATER, start=1):
        await bot.ask_and_pick(chat_id, text, "practice-details")
    [candidate] = (await bot.review()).candidates
    assert isinstance(await bot.learning.accept("kroc", ORGANIZER, candidate.id, "  "),
                      Incomplete)
    edited = await bot.learning.accept("kroc", ORGANIZER, candidate.id,
                                       "Should my child bring a water bottle to practice?")
    assert isinstance(edited, Accepted)
    assert edited.text == "Should my child bring a water bottle to practice?"
    assert await bot.learning.reject("kroc", ORGANIZER, candidate.id) == Rejected(
        candidate.id, "practice-details", edited.text)  # taken back
    for chat_id in (6, 7, 8):
        await bot.ask_and_pick(chat_id, WATER[0], "practice-details")
    assert (await bot.review()).candidates == ()


async def test_a_program_that_accepts_automatically_answers_once_enough_families_picked(
        db: Database, programs: dict[str, Program], kbs: dict[str, KnowledgeBase]) -> None:
    auto = {**programs, "kroc": dataclasses.replace(programs["kroc"], faq_auto_accept=True)}
    bot = Bot(db, auto, kbs)
    for chat_id, text in enumerate(WATER, start=1):
        await bot.ask_and_pick(chat_id, text, "practice-details")
    answer = await bot.asking.ask(auto["kroc"], 9, "private", WATER[0])
    assert isinstance(answer, Answered) and answer.entry.id == "practice-details"


async def test_only_organizers_review(bot: Bot) -> None:
    assert isinstance(await bot.learning.review("kroc", 1), NotAnOrganizerHere)
    assert isinstance(await bot.learning.accept("kroc", 1, 1), NotAnOrganizerHere)
    assert isinstance(await bot.learning.attach("kroc", 1, 1, "refunds"), NotAnOrganizerHere)
    assert isinstance(await bot.learning.dismiss("kroc", 1, 1), NotAnOrganizerHere)
    assert isinstance(await bot.learning.add_entry("kroc", 1, "a", "b", "c"),
                      NotAnOrganizerHere)


async def test_an_unanswered_group_attached_to_an_entry_is_answered_and_leaves_review(
        bot: Bot, db: Database) -> None:
    kroc = bot.programs["kroc"]
    for chat_id, text in enumerate(("what shoes should he wear", "what shoes should he wear?",
                                    "What shoes should my son wear"), start=1):
        assert isinstance(await bot.asking.ask(kroc, chat_id, "private", text), Unanswered)
    [group] = (await bot.review()).groups
    assert (group.count, group.families) == (3, 3)
    assert isinstance(await bot.learning.attach("kroc", ORGANIZER, group.key, "no-such"),
                      UnknownEntry)
    attached = await bot.learning.attach("kroc", ORGANIZER, group.key, "practice-details")
    assert attached == Attached("practice-details", group.text, 3)
    assert (await bot.review()).groups == ()
    assert isinstance(await bot.learning.attach("kroc", ORGANIZER, group.key, "refunds"), Gone)
    answer = await bot.asking.ask(kroc, 4, "private", group.text)
    assert isinstance(answer, Answered) and answer.entry.id == "practice-details"


async def test_a_dismissed_group_leaves_the_review_and_the_unanswered_list_for_good(
        bot: Bot) -> None:
    kroc = bot.programs["kroc"]
    for chat_id, text in enumerate(("whats the weather tomorrow", "whats the weather tomorrow?",
                                    "What's the weather tomorrow"), start=1):
        assert isinstance(await bot.asking.ask(kroc, chat_id, "private", text), Unanswered)
    [group] = (await bot.review()).groups
    assert isinstance(await bot.learning.dismiss("kroc", 1, group.key), NotAnOrganizerHere)
    assert await bot.learning.dismiss("kroc", ORGANIZER, group.key) == Dismissed(group.text, 3)
    assert (await bot.review()).groups == ()
    assert (await bot.learning.unanswered.report(kroc, 10)).groups == ()
    assert isinstance(await bot.learning.dismiss("kroc", ORGANIZER, group.key), Gone)
    assert isinstance(await bot.learning.attach("kroc", ORGANIZER, group.key, "refunds"), Gone)
    assert isinstance(await bot.asking.ask(kroc, 4, "private", group.text), Unanswered)
    [again] = (await bot.review()).groups  # asked again later: back for a look, alone
    assert again.count == 1


async def test_not_what_i_asked_questions_are_grouped_for_review_with_the_entry_given(
        bot: Bot, db: Database) -> None:
    async with db.session() as session, session.begin():
        await repo.save_chat(session, 1, "private")
        await repo.record_question(session, chat_id=1, program="kroc", text="is the race timed",
                                   outcome=repo.NOT_THIS, entry_id="arrival-time")
    [group] = (await bot.review()).groups
    assert (group.text, group.not_this) == ("is the race timed", ("arrival-time",))


async def test_an_organizer_writes_a_new_entry_from_a_group_and_it_answers_at_once(
        bot: Bot) -> None:
    kroc = bot.programs["kroc"]
    for chat_id, text in enumerate(("is there a shirt", "is there a shirt?", "do kids get a shirt"),
                                   start=1):
        await bot.asking.ask(kroc, chat_id, "private", text)
    [group] = (await bot.review()).groups
    assert isinstance(await bot.learning.add_entry("kroc", ORGANIZER, "race day", "", "x"),
                      Incomplete)
    added = await bot.learning.add_entry(
        "kroc", ORGANIZER, "race day", "Do the kids get a race shirt?",
        "Yes: every registered child gets a KROC shirt at packet pickup.", from_group=group.key)
    assert isinstance(added, EntryAdded) and added.questions == 3
    assert added.entry.id == "do-the-kids-get-a-race-shirt"
    assert added.entry.topic == "Race day"  # the FAQ's own spelling of the topic
    answer = await bot.asking.ask(kroc, 4, "private", "is there a shirt")
    assert isinstance(answer, Answered) and answer.entry.id == added.entry.id
    again = await bot.learning.add_entry("kroc", ORGANIZER, "Race day",
                                         "Do the kids get a race shirt?", "Yes.")
    assert isinstance(again, EntryAdded) and again.entry.id == "do-the-kids-get-a-race-shirt-2"


async def test_an_entry_written_for_a_group_another_organizer_attached_meanwhile_is_kept(
        bot: Bot) -> None:
    kroc = bot.programs["kroc"]
    for chat_id, text in enumerate(("is there a shirt", "is there a shirt?"), start=1):
        await bot.asking.ask(kroc, chat_id, "private", text)
    [group] = (await bot.review()).groups
    # While one organizer types a new entry for the group, another attaches it to an entry.
    assert isinstance(await bot.learning.attach("kroc", ORGANIZER, group.key, "refunds"),
                      Attached)
    added = await bot.learning.add_entry(
        "kroc", ORGANIZER, "Race day", "Do the kids get a race shirt?",
        "Yes: every registered child gets a KROC shirt at packet pickup.", from_group=group.key)
    assert isinstance(added, EntryAdded) and added.questions == 0
    answer = await bot.asking.ask(kroc, 3, "private", "Do the kids get a race shirt?")
    assert isinstance(answer, Answered) and answer.entry.id == added.entry.id


def test_a_new_entrys_id_is_its_question_in_at_most_32_characters() -> None:
    assert entry_id_for("Where do we park on race day?", ()) == "where-do-we-park-on-race-day"
    long = entry_id_for("Can grandparents and little siblings watch from the finish line?", ())
    assert long == "can-grandparents-and-little" and len(long) <= 32
    assert entry_id_for("¿Dónde?", ()) == "donde"
    assert entry_id_for("???", {"entry"}) == "entry-2"


async def test_a_wording_with_a_childs_name_is_never_learned(
        db: Database, programs: dict[str, Program], kbs: dict[str, KnowledgeBase]) -> None:
    # Learned wordings are answered to everyone and exported into the YAML file under version
    # control: a family's child's name must not go there, even when the program accepts
    # wordings on its own.
    from tests.test_logbook import family

    auto = {**programs, "kroc": dataclasses.replace(programs["kroc"], faq_auto_accept=True)}
    bot = Bot(db, auto, kbs)
    asked = (("Emma", "does emma need a water bottle at practice"),
             ("Jack", "does my kid need to bring a water bottle to practice"),
             ("Lily", "do the kids need a water bottle at practice or not"))
    for chat_id, (child, text) in enumerate(asked, start=1):
        await family(db, chat_id, child)
        await bot.ask_and_pick(chat_id, text, "practice-details")
    async with db.session() as session:
        learned_texts = [a.text for a in await learned.alternates(session, "kroc")]
    assert learned_texts  # the family-free wordings still teach the bot
    assert not [t for t in learned_texts if {"emma", "jack", "lily"} & set(t.split())]
