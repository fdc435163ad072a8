"""The `finalmile` tools for organizers and developers: FAQ, mile parsing, export, announce.

Each command that touches the database opens the bot's own services once (bot.services).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar
from zoneinfo import ZoneInfo

from bot.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from bot.domain.programs import Program
    from bot.domain.unanswered import UnansweredReport
    from bot.services import Services

T = TypeVar("T")


def lines(args: argparse.Namespace, stdin: TextIO) -> list[str]:
    if args.questions and args.questions != ["-"]:
        return [" ".join(args.questions)]
    return [line.rstrip("\n") for line in stdin]


def _program(slug: str) -> Program | None:
    """The program, or None after telling which programs exist."""
    from bot.domain.programs import load_programs

    programs = load_programs()
    if slug not in programs:
        _unknown(slug, programs)
    return programs.get(slug)


def _unknown(slug: str, programs: dict[str, Program]) -> None:
    print(f"Unknown program '{slug}'. Known: {', '.join(programs)}", file=sys.stderr)


def _with_services(settings: Settings, use: Callable[[Services], Awaitable[T]]) -> T:
    """Run one piece of work with the bot's own services (database migrated first)."""
    from bot.services import build_services

    async def run() -> T:
        async with build_services(settings, sending=False) as services:
            return await use(services)

    return asyncio.run(run())


def _read(settings: Settings, query: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run one read against the configured database."""

    async def read(services: Services) -> T:
        async with services.db.session() as session:
            return await query(session)

    return _with_services(settings, read)


def faq_ask(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    """Ask as a parent would: small talk ("thanks", a typed "Cancel") never reaches the FAQ."""
    from bot.config import load_settings
    from faq.kb import load_knowledge_bases
    from faq.match import MatchResult
    from faq.matching import matcher_factory
    from faq.smalltalk import classify_chat

    if _program(args.program) is None:
        return 2
    settings = load_settings()  # the bot's own matcher: semantic when FAQ_SEMANTIC_MODEL is on
    make = matcher_factory(settings.faq_semantic_model, settings.faq_semantic_model_sha256)
    matcher = make(load_knowledge_bases()[args.program])
    for question in lines(args, stdin):
        if not question.strip():
            continue
        chat = classify_chat(question)
        result = MatchResult(question, "none", None) if chat else matcher.match(question)
        record = {
            "question": question,
            "answer": result.entry.answer if result.entry else None,
            "entry": result.entry.id if result.entry else None,
            "score": result.best.score if result.best else 0.0,
            "confident": result.confident,
            "suggestions": [
                {"entry": s.entry.id, "question": s.entry.question, "score": s.score}
                for s in result.suggestions
            ],
        }
        if args.json:
            stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        elif chat:
            stdout.write(f"Q: {question}\nNot a question ({chat}): the bot replies with a "
                         "friendly word, never an FAQ answer.\n\n")
        else:
            stdout.write(_human(record))
    return 0


def _human(record: dict) -> str:
    if record["confident"]:
        return f"Q: {record['question']}\nA: {record['answer']}  [{record['entry']}]\n\n"
    if record["suggestions"]:
        options = "\n".join(f"   - {s['question']} [{s['entry']}]" for s in record["suggestions"])
        return f"Q: {record['question']}\nNot sure. Did you mean:\n{options}\n\n"
    return f"Q: {record['question']}\nNo answer: would refer to the program contact.\n\n"


def faq_check(args: argparse.Namespace, stdout: TextIO) -> int:
    from bot.domain.programs import read_programs
    from faq.check import check_files

    paths = [Path(p) for p in args.files] if args.files else None
    problems = check_files(paths) + read_programs(paths)[1]
    for problem in problems:
        stdout.write(f"{problem}\n")
    if problems:
        stdout.write(f"{len(problems)} problem(s) found.\n")
        return 1
    stdout.write("All knowledge bases are valid.\n")
    return 0


def faq_unanswered(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    from bot.domain.unanswered import UnansweredQuestions
    from bot.texts import unanswered as texts

    async def report(services: Services) -> UnansweredReport | None:
        program = services.programs.get(args.program)
        if program is None:
            _unknown(args.program, services.programs)
            return None
        questions = UnansweredQuestions(services.db, services.faq)
        return await questions.report(program, args.limit)

    found = _with_services(settings, report)
    if found is None:
        return 2
    if not args.json:
        stdout.write(texts.summary(found))
    for group in found.groups:
        stdout.write(texts.as_json(group) + "\n" if args.json else texts.text(group))
    return 0


def miles_parse(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    import datetime as dt

    from bot.domain.miles import parse_miles
    from bot.texts.parsing import reason_text, to_json

    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    except ValueError:
        print(f"--today must be YYYY-MM-DD, not '{args.today}'", file=sys.stderr)
        return 2
    children = [c.strip() for c in (args.children or "").split(",") if c.strip()]
    for message in lines(args, stdin):
        parsed = parse_miles(message, today=today, children=children)
        if args.json:
            stdout.write(json.dumps(to_json(parsed), ensure_ascii=False) + "\n")
        else:
            entries = ", ".join(f"{c.child or '?'} {c.miles} mi on {c.day.isoformat()}"
                                for c in parsed.claims)
            reason = reason_text(parsed)
            why = f" ({reason})" if reason else ""
            stdout.write(f"{message}\n  -> {parsed.kind}: {entries or '-'}{why}\n")
    return 0


STDOUT = "-"  # an output file named so means standard output


def export(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    """The export as CSV, to a file or (`--csv -`) to standard output; the count goes to
    standard error then, so the output is the CSV alone."""
    import csv

    from storage import program_miles

    if _program(args.program) is None:
        return 2
    rows = _read(settings, lambda s: program_miles.export_rows(s, args.program, args.school))

    def write(file: TextIO) -> None:
        writer = csv.writer(file)
        writer.writerow(["first_name", "last_initial", "grade", "school", "total_miles",
                         "entries"])
        for row in rows:
            child = row.child
            writer.writerow([child.first_name, child.last_initial or "", child.grade,
                             child.school or "", f"{row.total_hundredths / 100:.2f}",
                             row.entries])

    noun = "child" if len(rows) == 1 else "children"
    if args.csv == STDOUT:
        write(stdout)
        print(f"Wrote {len(rows)} {noun} to standard output.", file=sys.stderr)
        return 0
    try:
        with open(args.csv, "w", newline="", encoding="utf-8") as file:
            write(file)
    except OSError as exc:
        print(f"Could not write {args.csv}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    stdout.write(f"Wrote {len(rows)} {noun} to {args.csv}.\n")
    return 0


def _announcement(args: argparse.Namespace) -> str | None:
    """The text of --text or --file as it will go out, or None after saying why it can't:
    the chat's rule (bot.domain.announcing), so neither lets through what Telegram refuses."""
    from bot.domain.announcing import EmptyText, TooLong, announcement_text

    text = args.text
    if args.file:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
            print(f"Could not read {args.file}: {reason or exc}", file=sys.stderr)
            return None
    match announcement_text(text):
        case EmptyText():
            print("The announcement is empty.", file=sys.stderr)
        case TooLong(length=length, limit=limit):
            print(f"The announcement is {length:,} characters, and one Telegram message holds "
                  f"at most {limit:,}: shorten it by {length - limit:,}. Nothing was sent.",
                  file=sys.stderr)
        case str() as checked:
            return checked
    return None


def announce(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    import datetime as dt

    from bot.domain.announcing import BadTime
    from bot.domain.schools import listed_as
    from bot.texts.announce import chats

    text = _announcement(args)
    if text is None:
        return 2
    at = None
    if args.at:
        try:
            at = dt.datetime.fromisoformat(args.at)
        except ValueError:
            print(f"--at must be a date and time like 2026-11-24T09:00, not '{args.at}'",
                  file=sys.stderr)
            return 2

    async def schedule(services: Services) -> tuple[int, int, dt.datetime | None] | None:
        """The program as the bot sees it (its zone, else the TIMEZONE setting's)."""
        program = services.programs.get(args.program)
        if program is None:
            _unknown(args.program, services.programs)
            return None
        due = None if at is None else services.announcing.at(program, at)
        if isinstance(due, BadTime):  # the chat's rule: only a time still to come
            now = services.announcing.now().astimezone(ZoneInfo(program.timezone))
            print(f"--at {args.at} is not in the future: it is {now:%Y-%m-%d %H:%M %Z} now in "
                  f"{program.timezone}. Give a later time, or leave --at out to send now. "
                  "Nothing was sent.", file=sys.stderr)
            return None
        school = args.school
        if school is not None:  # the list's name for it
            listed = await services.schools.of(program)
            school = args.school = listed_as(school.strip(), listed)
            if not await services.announcing.audience_size(args.program, school):
                nobody = (f"No family has a child at {school} yet (schools: "
                          f"{', '.join(listed) or 'none listed'})")
                if due is None:  # now, to nobody: not sent
                    print(f"{nobody}: nothing was sent.", file=sys.stderr)
                    return None
                print(f"{nobody}; it is scheduled for families who join by then.",
                      file=sys.stderr)
        scheduled = await services.announcing.schedule(args.program, text, due, school)
        return scheduled.id, scheduled.recipients, due

    scheduled = _with_services(settings, schedule)
    if scheduled is None:
        return 2
    announcement, recipients, due = scheduled
    who = f"families of {args.school}" if args.school else f"all {args.program} families"
    when = f"at {due:%Y-%m-%d %H:%M %Z}" if due else "now (within seconds, while the bot runs)"
    stdout.write(f"Announcement #{announcement} to {who} ({chats(recipients)} today), "
                 f"sending {when}.\n")
    return 0
