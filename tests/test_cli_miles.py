"""`finalmile miles parse` and `finalmile export`, as an organizer runs them."""

import asyncio
import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from storage import children, families, mile_logs, repo
from storage.db import Database


def run(*args: str, stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), stdin=io.StringIO(stdin), stdout=out)
    return code, out.getvalue()


def test_miles_parse_json_writes_one_object_per_message_line() -> None:
    code, out = run("miles", "parse", "--json", "--children", "Emma,Jack",
                    "--today", "2026-11-23", "-",
                    stdin="Emma 1 mile, Jack 2\ncan we run 2 miles a day?\nEmma ran 100 miles\n")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    assert [set(r) for r in records] == [{"text", "kind", "entries", "reason"}] * 3
    log, question, absurd = records
    assert log["kind"] == "log"
    assert log["entries"] == [{"child": "Emma", "miles": 1.0, "date": "2026-11-23"},
                              {"child": "Jack", "miles": 2.0, "date": "2026-11-23"}]
    assert question["kind"] == "not_a_log" and question["entries"] == []
    assert absurd["kind"] == "rejected" and absurd["reason"]


def test_miles_parse_logs_both_children_when_an_activity_follows_the_second_amount() -> None:
    code, out = run("miles", "parse", "--json", "--children", "Emma,Jack",
                    "--today", "2026-11-23", "-",
                    stdin="Emma 1 mile, Jack 0.5 walking\nEmma 1, Jack 0.5 walking\n")
    assert code == 0
    for line in out.splitlines():
        record = json.loads(line)
        assert record["kind"] == "log"
        assert record["entries"] == [{"child": "Emma", "miles": 1.0, "date": "2026-11-23"},
                                     {"child": "Jack", "miles": 0.5, "date": "2026-11-23"}]


def test_miles_parse_refuses_a_bad_date(capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run("miles", "parse", "--today", "23/11/2026", "ran a mile")
    assert code == 2
    assert "--today must be YYYY-MM-DD" in capsys.readouterr().err


def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A KROC family with Emma (Lincoln, 13.5 miles in 2 entries) and Jack (Adams, none), in
    the database the CLI is pointed at; the current folder is `tmp_path`."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'export.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)

    async def seed() -> None:
        db = Database(url)
        await db.upgrade()
        async with db.session() as session, session.begin():
            await repo.save_chat(session, 1, "private", "kroc")
            family = await families.ensure_family(session, 1)
            emma = await children.add_child(session, family, "Emma", "R", "2", "Lincoln", "kroc")
            await children.add_child(session, family, "Jack", None, "K", "Adams", "kroc")
            await mile_logs.add_log(session, family, "x", "x", None, [
                mile_logs.NewEntry(emma.id, 1250, dt.date(2026, 11, 20)),
                mile_logs.NewEntry(emma.id, 100, dt.date(2026, 11, 21))])
        await db.dispose()

    asyncio.run(seed())


def test_export_writes_every_child_with_total_miles(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    seeded(tmp_path, monkeypatch)
    code, out = run("export", "--program", "kroc", "--school", "lincoln", "--csv", "lincoln.csv")
    assert code == 0 and out == "Wrote 1 child to lincoln.csv.\n"
    with open(tmp_path / "lincoln.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert rows == [{"first_name": "Emma", "last_initial": "R", "grade": "2",
                     "school": "Lincoln", "total_miles": "13.50", "entries": "2"}]


def test_export_to_dash_writes_the_csv_alone_to_standard_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    seeded(tmp_path, monkeypatch)
    assert main(["export", "--program", "kroc", "--csv", "kroc.csv"]) == 0
    capsys.readouterr()
    assert main(["export", "--program", "kroc", "--csv", "-"]) == 0  # the real stdout
    printed = capsys.readouterr()
    assert not (tmp_path / "-").exists()
    with open(tmp_path / "kroc.csv", encoding="utf-8", newline="") as file:
        assert printed.out == file.read()  # the same CSV as the file, and nothing else
    rows = list(csv.DictReader(io.StringIO(printed.out)))
    assert sorted((r["first_name"], r["total_miles"]) for r in rows) == [("Emma", "13.50"),
                                                                          ("Jack", "0.00")]
    assert printed.err.strip() == "Wrote 2 children to standard output."


def test_export_to_a_folder_that_does_not_exist_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    seeded(tmp_path, monkeypatch)
    code, out = run("export", "--program", "kroc", "--csv", "nowhere/kroc.csv")
    assert code == 2 and out == ""
    err = capsys.readouterr().err
    assert "Could not write nowhere/kroc.csv: No such file or directory" in err
    assert "Traceback" not in err
