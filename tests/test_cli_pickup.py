"""`finalmile export --pdf`: the printed packet-pickup log, as an organizer runs it and reads it.

The PDF is read back with pypdf: what an organizer would find on paper (or with Ctrl+F).
"""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.cli import main
from storage import children, families, mile_logs, repo
from storage.db import Database

DAY = dt.date(2026, 10, 1)


@dataclass(frozen=True)
class Kid:
    first: str
    initial: str | None
    grade: str
    school: str | None
    program: str
    miles: tuple[float, ...] = ()  # one entry a day from DAY
    activity: str | None = None

    @property
    def name(self) -> str:
        return f"{self.first} {self.initial}." if self.initial else self.first

    @property
    def total(self) -> str:
        return f"{round(sum(self.miles), 2):g}"


KROC = (
    Kid("Emma", "R", "2", "Lincoln Elementary", "kroc", (5, 4.5, 1.25, 2.75), "run"),
    Kid("Ava", "M", "3", "lincoln elementary", "kroc", (0.5,), "walk"),  # typed by another family
    Kid("Zoe", None, "K", "Lincoln Elementary", "kroc"),
    Kid("Jack", "T", "4", "Adams", "kroc", (5.0,) * 5 + (0.2,)),
    Kid("Liam", "B", "1", None, "kroc", (3, 1)),
)
OTHER_PROGRAM = Kid("Olivia", "P", "2", "Lincoln Elementary", "little-rockers", (7,))
REMOVED = Kid("Noah", "K", "5", "Adams", "kroc", (2,))


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(args), stdin=io.StringIO(""), stdout=out)
    return code, out.getvalue()


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def names(text: str) -> list[str]:
    """The children on a page, in order: each heads a line "Emma R. 13.5 of 25.2 miles"."""
    return re.findall(r"^(.+?) [\d.]+ of [\d.]+ miles", text, re.M)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'pickup.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def seed(url: str, kids: tuple[Kid, ...], removed: tuple[Kid, ...] = ()) -> None:
    """Each child in a family of their own, in their program, with their miles logged."""

    async def write() -> None:
        db = Database(url)
        await db.upgrade()
        async with db.session() as session, session.begin():
            for chat, kid in enumerate((*kids, *removed), start=1):
                await repo.save_chat(session, chat, "private", kid.program)
                family = await families.ensure_family(session, chat)
                child = await children.add_child(session, family, kid.first, kid.initial,
                                                 kid.grade, kid.school, kid.program)
                if kid.miles:
                    await mile_logs.add_log(session, family, "x", f"x{chat}", None, [
                        mile_logs.NewEntry(child.id, round(m * 100), DAY + dt.timedelta(days=i),
                                           kid.activity)
                        for i, m in enumerate(kid.miles)])
                if kid in removed:
                    await children.remove_child(session, family, child.id)
        await db.dispose()

    asyncio.run(write())


def test_the_pickup_log_has_a_section_per_school_with_each_child_total_and_entries(
        database: str, tmp_path: Path) -> None:
    seed(database, (*KROC, OTHER_PROGRAM), removed=(REMOVED,))
    code, out = run("export", "--program", "kroc", "--pdf", "pickup.pdf")
    assert code == 0 and out == f"Wrote {len(KROC)} children to pickup.pdf.\n"
    pages = pdf_pages(tmp_path / "pickup.pdf")
    # a page per school here: schools alphabetically, however typed, then no school given
    assert [page.splitlines()[1] for page in pages] == [
        "Adams", "Lincoln Elementary", "No school given"]
    text = "\n".join(pages)
    for kid in KROC:
        [page] = [p for p in pages if kid.name in names(p)]
        assert f"\n{kid.name} {kid.total} of 25.2 miles" in page
        if kid.miles:
            assert f"{DAY:%b} {DAY.day}   {kid.miles[0]:g} mi" in page
        else:
            assert "No miles logged yet." in page
        assert not re.search(rf"\b{kid.first} ?[A-Z][a-z]", text)  # no more than an initial
    lincoln = pages[1]
    assert names(lincoln) == ["Ava M.", "Emma R.", "Zoe"]
    assert "3 children, 0 at the 25.2-mile goal" in lincoln
    assert "milestones reached: 5, 10 miles" in lincoln  # Emma, at 13.5 miles
    assert "Kindergarten   ·   milestones reached: none yet" in lincoln  # Zoe
    assert "25.2 of 25.2 miles, goal reached" in pages[0]  # Jack
    assert "milestones reached: 5, 10, 15, 20, 25.2 miles" in pages[0]
    for absent in (OTHER_PROGRAM, REMOVED):
        assert absent.first not in text


def test_one_school_and_the_csv_together(database: str, tmp_path: Path) -> None:
    seed(database, KROC)
    code, out = run("export", "--program", "kroc", "--school", "LINCOLN ELEMENTARY",
                    "--csv", "lincoln.csv", "--pdf", "lincoln.pdf")
    at_lincoln = [k for k in KROC if (k.school or "").lower() == "lincoln elementary"]
    assert code == 0
    assert out == (f"Wrote {len(at_lincoln)} children to lincoln.csv.\n"
                   f"Wrote {len(at_lincoln)} children to lincoln.pdf.\n")
    with open(tmp_path / "lincoln.csv", encoding="utf-8") as file:
        assert sorted(row["first_name"] for row in csv.DictReader(file)) == sorted(
            k.first for k in at_lincoln)
    [page] = pdf_pages(tmp_path / "lincoln.pdf")
    assert page.splitlines()[1] == "Lincoln Elementary"
    assert sorted(names(page)) == sorted(k.name for k in at_lincoln)


def test_a_school_too_big_for_a_page_runs_on_under_its_heading(database: str,
                                                                tmp_path: Path) -> None:
    firsts = ["Abby", "Ben", "Cara", "Dan", "Eli", "Fay", "Gus", "Hana", "Ian", "June", "Kai",
              "Lea", "Max", "Nia"]
    kids = tuple(Kid(first, "S", "3", "Adams", "kroc", (1,) * 8) for first in firsts)
    kids += (Kid("Walt", "W", "5", "Adams", "kroc", tuple([0.25] * 240)),)  # 60 miles, in quarters
    seed(database, kids)
    code, _ = run("export", "--program", "kroc", "--pdf", "adams.pdf")
    assert code == 0
    pages = pdf_pages(tmp_path / "adams.pdf")
    assert len(pages) >= 3
    assert [page.splitlines()[1] for page in pages] == ["Adams"] + ["Adams (continued)"] * (
        len(pages) - 1)
    text = "\n".join(pages)
    listed = names(text)
    assert [name for name in listed if not name.endswith("(continued)")] == [
        kid.name for kid in kids]
    # Walt's 240 entries fill more than a page: they run on under his name
    assert set(listed[len(kids):]) == {"Walt W. (continued)"}
    assert text.count("0.25 mi") == 240
    assert [f"page {n} of {len(pages)}" in page for n, page in enumerate(pages, 1)] == [
        True] * len(pages)


@pytest.mark.parametrize("program", ["little-rockers", "no-such-program"])
def test_an_empty_or_unknown_program_is_answered_as_the_csv_export_answers_it(
        program: str, database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(database, KROC)
    csv_code, csv_out = run("export", "--program", program, "--csv", "out.csv")
    csv_err = capsys.readouterr().err
    (tmp_path / "out.csv").unlink(missing_ok=True)
    code, out = run("export", "--program", program, "--pdf", "out.pdf")
    err = capsys.readouterr().err
    assert code == csv_code
    assert out == csv_out.replace("out.csv", "out.pdf") and err == csv_err
    if code == 0:
        assert out == "Wrote 0 children to out.pdf.\n"
        [page] = pdf_pages(tmp_path / "out.pdf")
        assert "No children in this program yet." in page
    else:
        assert code == 2 and f"Unknown program '{program}'" in err
        assert not (tmp_path / "out.pdf").exists()


def test_the_export_asks_for_a_file_it_can_write(database: str, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert run("export", "--program", "kroc") == (2, "")
    assert "--csv FILE, --pdf FILE, or both" in capsys.readouterr().err
    assert run("export", "--program", "kroc", "--pdf", "-") == (2, "")
    assert "--pdf needs a file name" in capsys.readouterr().err
    assert run("export", "--program", "kroc", "--pdf", "no/such/folder/x.pdf") == (2, "")
    assert "Could not write no/such/folder/x.pdf" in capsys.readouterr().err


def test_a_name_the_font_cannot_draw_is_still_a_line_to_tick(database: str,
                                                              tmp_path: Path) -> None:
    seed(database, (Kid("小明", None, "1", None, "kroc", (1.5,)),))
    assert run("export", "--program", "kroc", "--pdf", "out.pdf") == (
        0, "Wrote 1 child to out.pdf.\n")
    [page] = pdf_pages(tmp_path / "out.pdf")
    assert names(page) == ["(name in a script this log cannot print)"]
    assert "1.5 of 25.2 miles" in page and "Grade 1" in page


def test_with_the_csv_on_standard_output_only_the_csv_is_there(
        database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    seed(database, KROC)
    code, out = run("export", "--program", "kroc", "--csv", "-", "--pdf", "all.pdf")
    assert code == 0
    assert sorted(row["first_name"] for row in csv.DictReader(io.StringIO(out))) == sorted(
        kid.first for kid in KROC)
    assert f"Wrote {len(KROC)} children to all.pdf." in capsys.readouterr().err
    assert sorted(names("\n".join(pdf_pages(tmp_path / "all.pdf")))) == sorted(
        kid.name for kid in KROC)
