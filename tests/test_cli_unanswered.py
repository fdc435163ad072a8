"""`finalmile faq unanswered` as an organizer meets it: what families asked that the FAQ could not
answer, the same question typed different ways in one group with how often, by how many
families and when; junk and questions the FAQ answered left out."""

import asyncio
import datetime as dt
import io
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from bot.cli import main
from storage import children, families, repo, schools
from storage.db import Database
from storage.models import Question

KROC_ZONE = ZoneInfo("America/Los_Angeles")  # kroc.yaml's time zone: the dates organizers see
TODAY = dt.datetime.now(KROC_ZONE).date()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), KROC_ZONE)


# (chat, text, outcome, when asked): None as the chat is a question whose asker was forgotten.
ASKED: list[tuple[int, str, str, dt.datetime]] = [
    # Parking: three families, one of them twice; one pressed "None of these", one left.
    (1, "wheres parking", repo.UNANSWERED, noon(days_ago(30))),
    (2, "where is parking?", repo.NONE_OF_THESE, noon(days_ago(20))),
    (3, "Where do we park", repo.SUGGESTED, noon(days_ago(12))),
    (1, "Where is parking", repo.UNANSWERED, noon(days_ago(3))),
    # Dogs: two families, three times.
    (4, "can my dog come", repo.UNANSWERED, noon(days_ago(9))),
    (5, "are dogs allowed", repo.NONE_OF_THESE, noon(days_ago(8))),
    (4, "bring the dog?", repo.SUGGESTED, noon(days_ago(2))),
    # Wi-fi: asked long ago by two families the bot has since forgotten.
    (6, "is there wifi", repo.UNANSWERED, noon(days_ago(200))),
    (7, "wifi password?", repo.UNANSWERED, noon(days_ago(190))),
    # Answered, picked among the choices, or choices offered a moment ago: not for organizers.
    (5, "can grandma watch", repo.ANSWERED, noon(days_ago(4))),
    (6, "is there parking for bikes", repo.PICKED, noon(days_ago(4))),
    (7, "medal engraving", repo.SUGGESTED, dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)),
    # Junk: a child's name typed into a broken /addkid, her school, a listed school,
    # acknowledgements, emoji, SQL, code, a pasted letter.
    (3, "Emma", repo.UNANSWERED, noon(days_ago(11))),
    (3, "Lincoln Elementary", repo.UNANSWERED, noon(days_ago(11))),
    (3, "roosevelt", repo.UNANSWERED, noon(days_ago(11))),
    (2, "ok", repo.UNANSWERED, noon(days_ago(5))),
    (2, "thanks!", repo.NONE_OF_THESE, noon(days_ago(5))),
    (4, "👍🏃", repo.UNANSWERED, noon(days_ago(5))),
    (5, "'; DROP TABLE children; --", repo.UNANSWERED, noon(days_ago(6))),
    (5, "<script>alert(1)</script>", repo.UNANSWERED, noon(days_ago(6))),
    (6, "Dear organizers, " + "where is parking? " * 300, repo.UNANSWERED, noon(days_ago(6))),
]
JUNK = "(9 other messages left out: not questions, too long or code)"


def seed(url: str, asked: list[tuple[int, str, str, dt.datetime]]) -> None:
    async def run() -> None:
        db = Database(url)
        await db.upgrade()
        async with db.session() as session, session.begin():
            for chat in sorted({3} | {chat for chat, *_ in asked}):  # 3: Emma's family
                await repo.save_chat(session, chat, "private", "kroc")
            await schools.add(session, "kroc", "Roosevelt Elementary", dt.datetime.now(dt.UTC))
            family = await families.ensure_family(session, 3)
            if not await children.children(session, family):
                await children.add_child(session, family, "Emma", "R", "2",
                                         "Lincoln Elementary", "kroc")
            for chat, text, outcome, when in asked:
                question = await repo.record_question(session, chat_id=chat, program="kroc",
                                                      text=text, outcome=outcome)
                await session.execute(update(Question).where(Question.id == question)
                                      .values(asked_at=when))
            # The little-rockers organizers' question is theirs, not kroc's.
            await repo.save_chat(session, 9, "private", "little-rockers")
            await repo.record_question(session, chat_id=9, program="little-rockers",
                                       text="where is parking", outcome=repo.UNANSWERED)
            # The program's retention period is over for the wi-fi askers.
            await repo.forget_askers(session, "kroc", dt.datetime.now(dt.UTC)
                                     - dt.timedelta(days=180))
        await db.dispose()

    asyncio.run(run())


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    seed(url, ASKED)


def unanswered(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["faq", "unanswered", "--program", "kroc", *args], stdout=out)
    return code, out.getvalue()


def test_the_same_question_typed_three_ways_is_one_group_biggest_first(seeded: None) -> None:
    code, out = unanswered("--json")
    assert code == 0
    groups = [json.loads(line) for line in out.splitlines()]
    assert groups == [
        {"question": "where is parking?", "count": 4, "families": 3,
         "first_seen": days_ago(30).isoformat(), "last_seen": days_ago(3).isoformat(),
         "wordings": ["where is parking?", "wheres parking", "Where do we park"]},
        {"question": "bring the dog?", "count": 3, "families": 2,
         "first_seen": days_ago(9).isoformat(), "last_seen": days_ago(2).isoformat(),
         "wordings": ["bring the dog?", "can my dog come", "are dogs allowed"]},
        {"question": "is there wifi", "count": 2, "families": 2,
         "first_seen": days_ago(200).isoformat(), "last_seen": days_ago(190).isoformat(),
         "wordings": ["is there wifi", "wifi password?"]},
    ]


def test_the_organizer_reads_each_group_with_its_counts_dates_and_wordings(
        seeded: None) -> None:
    code, out = unanswered()
    assert code == 0
    assert out.splitlines() == [
        f"3 different questions, asked 9 times in kroc {JUNK}.",
        "",
        "where is parking?",
        f"   asked 4 times by 3 families, first {days_ago(30)}, last {days_ago(3)}",
        "   also: wheres parking",
        "   also: Where do we park",
        "",
        "bring the dog?",
        f"   asked 3 times by 2 families, first {days_ago(9)}, last {days_ago(2)}",
        "   also: can my dog come",
        "   also: are dogs allowed",
        "",
        "is there wifi",
        f"   asked 2 times by 2 families, first {days_ago(200)}, last {days_ago(190)}",
        "   also: wifi password?",
        "",
    ]
    for junk in ("Emma", "Lincoln", "roosevelt", "ok", "thanks", "DROP", "script", "Dear", "👍"):
        assert junk not in out
    for answered in ("grandma", "bikes", "medal"):
        assert answered not in out


def test_limit_shows_the_biggest_groups(seeded: None) -> None:
    code, out = unanswered("--limit", "1")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == (f"Showing the 1 biggest of 3 different questions, asked 9 times in "
                        f"kroc {JUNK}.")
    assert lines[2:] == [
        "where is parking?",
        f"   asked 4 times by 3 families, first {days_ago(30)}, last {days_ago(3)}",
        "   also: wheres parking", "   also: Where do we park", ""]
    code, out = unanswered("--limit", "2", "--json")
    assert [json.loads(line)["question"] for line in out.splitlines()] == [
        "where is parking?", "bring the dog?"]


def test_choices_left_for_under_an_hour_are_not_yet_unanswered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    now = dt.datetime.now(dt.UTC)
    seed(url, [(1, "can my dog come", repo.SUGGESTED, now - dt.timedelta(minutes=50)),
               (2, "ok", repo.UNANSWERED, now)])
    assert unanswered() == (0, "No unanswered questions in kroc (1 message left out: not "
                               "questions, too long or code).\n")
    seed(url, [(3, "are dogs allowed", repo.SUGGESTED, now - dt.timedelta(minutes=70))])
    code, out = unanswered("--json")
    assert code == 0
    assert [json.loads(line)["question"] for line in out.splitlines()] == ["are dogs allowed"]


def test_a_program_nobody_asked_in_has_nothing_to_show(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    assert unanswered() == (0, "No unanswered questions in kroc.\n")
    assert unanswered("--json") == (0, "")


def test_an_unknown_program_or_a_bad_limit_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    assert main(["faq", "unanswered", "--program", "nope"], stdout=io.StringIO()) == 2
    assert "Unknown program 'nope'. Known: kroc, little-rockers" in capsys.readouterr().err
    for limit in ("0", "-3", "many"):
        with pytest.raises(SystemExit) as refused:
            main(["faq", "unanswered", "--program", "kroc", "--limit", limit])
        assert refused.value.code == 2
        assert "--limit: must be a whole number from 1 up" in capsys.readouterr().err
