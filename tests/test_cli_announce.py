"""`finalmile announce`, as an organizer runs it: it refuses what the chat's /announce refuses (a
time that has passed, a text one Telegram message can't hold), says why, and sends nothing."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli import main
from storage import announcements
from storage.announcements import AnnouncementRecord
from storage.db import Database

KROC_TIME = ZoneInfo("America/Los_Angeles")  # KROC's own time zone (faq/content/kroc.yaml)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The database the CLI is pointed at; the current folder is `tmp_path`."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'announce.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def announce(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(["announce", "--program", "kroc", *args], stdout=out)
    return code, out.getvalue()


def kept(url: str) -> list[AnnouncementRecord]:
    """Every announcement waiting to go out (none when the database was never opened)."""
    async def read() -> list[AnnouncementRecord]:
        db = Database(url)
        await db.upgrade()
        async with db.session() as session:
            found = await announcements.scheduled(session)
        await db.dispose()
        return found

    return asyncio.run(read())


def test_a_time_that_has_passed_is_refused_and_nothing_is_sent(
        database: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = announce("--at", "2020-01-01T09:00", "--text", "Pizza party Friday!")
    assert code != 0 and out == ""
    err = capsys.readouterr().err
    assert err.startswith("--at 2020-01-01T09:00 is not in the future: it is ")
    assert "now in America/Los_Angeles. Give a later time, or leave --at out to send now." in err
    assert kept(database) == []


def test_a_time_is_read_on_the_programs_clock_before_it_is_judged(
        database: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Ten minutes ago in Los Angeles is hours ahead in UTC: still refused."""
    now = dt.datetime.now(KROC_TIME).replace(second=0, microsecond=0, tzinfo=None)
    ago, ahead = now - dt.timedelta(minutes=10), now + dt.timedelta(minutes=10)
    code, _ = announce("--at", ago.isoformat(), "--text", "Pizza party Friday!")
    assert code != 0
    assert "is not in the future" in capsys.readouterr().err
    code, out = announce("--at", ahead.isoformat(), "--text", "Pizza party Friday!")
    assert code == 0
    assert f"sending at {ahead:%Y-%m-%d %H:%M} P" in out  # PST or PDT
    assert [a.text for a in kept(database)] == ["Pizza party Friday!"]


def test_a_time_with_its_own_offset_is_judged_as_given(
        database: str, capsys: pytest.CaptureFixture[str]) -> None:
    past = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).isoformat(timespec="minutes")
    code, _ = announce("--at", past, "--text", "Pizza party Friday!")
    assert code != 0
    assert f"--at {past} is not in the future" in capsys.readouterr().err
    assert kept(database) == []


def test_a_text_longer_than_one_telegram_message_is_refused_with_its_length(
        database: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = announce("--text", "x" * 5000)
    assert code != 0 and out == ""
    assert capsys.readouterr().err == (
        "The announcement is 5,000 characters, and one Telegram message holds at most 4,096: "
        "shorten it by 904. Nothing was sent.\n")
    assert kept(database) == []


def test_a_file_longer_than_one_telegram_message_is_refused_too(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "long.txt").write_text("Bring water and a snack.\n" * 200, encoding="utf-8")
    code, _ = announce("--file", "long.txt")
    assert code != 0
    assert "is 4,999 characters" in capsys.readouterr().err  # the last line break is not sent
    assert kept(database) == []


def test_a_text_of_exactly_one_message_is_sent_whole(database: str, tmp_path: Path) -> None:
    longest = "Race day! " * 409 + "Go!!!!"
    assert len(longest) == 4096
    (tmp_path / "longest.txt").write_text(f"\n{longest}\n\n", encoding="utf-8")
    code, out = announce("--file", "longest.txt")
    assert code == 0 and out.startswith("Announcement #1 to all kroc families")
    assert [a.text for a in kept(database)] == [longest]


def test_an_empty_or_missing_file_is_refused_without_a_traceback(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty.txt").write_text("\n  \n", encoding="utf-8")
    assert announce("--file", "empty.txt")[0] != 0
    assert capsys.readouterr().err == "The announcement is empty.\n"
    assert announce("--file", "missing.txt")[0] != 0
    err = capsys.readouterr().err
    assert err == "Could not read missing.txt: No such file or directory\n"
    assert kept(database) == []
