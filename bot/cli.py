"""The `finalmile` command: run the bot, the console chat, migrations, and organizers' tools."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from bot.config import Settings, load_settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from faq.kb import KnowledgeBase

T = TypeVar("T")


def _run(settings: Settings) -> int:
    if not settings.token:
        print("No TELEGRAM_BOT_TOKEN set: opening the console chat instead.\n")
        return _console(settings)
    from telegram import Update

    from bot.app import build_application

    build_application(settings).run_polling(allowed_updates=Update.ALL_TYPES)
    return 0


def _console(settings: Settings) -> int:
    from bot.app import build_application
    from bot.console import ConsoleRequest, run_console

    for noisy in ("alembic", "telegram", "apscheduler"):  # keep the chat screen clean
        logging.getLogger(noisy).setLevel(logging.WARNING)
    request = ConsoleRequest()
    app = build_application(settings, request=request, get_updates_request=ConsoleRequest())
    asyncio.run(run_console(app, request))
    return 0


def _db_upgrade(settings: Settings) -> int:
    from storage.db import Database

    async def upgrade() -> None:
        db = Database(settings.database_url)
        try:
            await db.upgrade()
        finally:
            await db.dispose()

    asyncio.run(upgrade())
    print("Database is up to date.")
    return 0


def _lines(args: argparse.Namespace, stdin: TextIO) -> list[str]:
    if args.questions and args.questions != ["-"]:
        return [" ".join(args.questions)]
    return [line.rstrip("\n") for line in stdin]


def _program(slug: str) -> KnowledgeBase | None:
    """The program's knowledge base, or None after telling which programs exist."""
    from faq.kb import load_knowledge_bases

    kbs = load_knowledge_bases()
    if slug not in kbs:
        print(f"Unknown program '{slug}'. Known: {', '.join(kbs)}", file=sys.stderr)
    return kbs.get(slug)


def _read(settings: Settings, query: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run one read against the configured database (migrated first, as the bot would)."""
    from storage.db import Database

    async def run() -> T:
        db = Database(settings.database_url)
        try:
            await db.upgrade()
            async with db.session() as session:
                return await query(session)
        finally:
            await db.dispose()

    return asyncio.run(run())


def _faq_ask(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    from faq.match import Matcher

    kb = _program(args.program)
    if kb is None:
        return 2
    matcher = Matcher(kb)
    for question in _lines(args, stdin):
        if not question.strip():
            continue
        result = matcher.match(question)
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


def _faq_check(args: argparse.Namespace, stdout: TextIO) -> int:
    from faq.check import check_files

    problems = check_files([Path(p) for p in args.files] if args.files else None)
    for problem in problems:
        stdout.write(f"{problem}\n")
    if problems:
        stdout.write(f"{len(problems)} problem(s) found.\n")
        return 1
    stdout.write("All knowledge bases are valid.\n")
    return 0


def _faq_unanswered(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    from storage import repo

    questions = _read(settings, lambda s: repo.open_questions(s, args.program, args.limit))
    for q in questions:
        stdout.write(f"{q.asked_at:%Y-%m-%d %H:%M}  {q.text}\n")
    if not questions:
        stdout.write("No unanswered questions.\n")
    return 0


def _miles_parse(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    import datetime as dt

    from bot.domain.miles import parse_miles, to_json

    try:
        today = dt.date.fromisoformat(args.today) if args.today else dt.date.today()
    except ValueError:
        print(f"--today must be YYYY-MM-DD, not '{args.today}'", file=sys.stderr)
        return 2
    children = [c.strip() for c in (args.children or "").split(",") if c.strip()]
    for message in _lines(args, stdin):
        parsed = parse_miles(message, today=today, children=children)
        record = to_json(parsed)
        if args.json:
            stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            entries = ", ".join(f"{e['child'] or '?'} {e['miles']} mi on {e['date']}"
                                for e in record["entries"])
            reason = f" ({record['reason']})" if record["reason"] else ""
            stdout.write(f"{message}\n  -> {record['kind']}: {entries or '-'}{reason}\n")
    return 0


def _export(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    import csv

    from storage import families

    if _program(args.program) is None:
        return 2
    rows = _read(settings, lambda s: families.export_rows(s, args.program, args.school))
    with open(args.csv, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["first_name", "last_initial", "grade", "school", "total_miles",
                         "entries"])
        for row in rows:
            child = row.child
            writer.writerow([child.first_name, child.last_initial or "", child.grade,
                             child.school or "", f"{row.total_hundredths / 100:.2f}",
                             row.entries])
    noun = "child" if len(rows) == 1 else "children"
    stdout.write(f"Wrote {len(rows)} {noun} to {args.csv}.\n")
    return 0


def _announce(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    import datetime as dt
    from zoneinfo import ZoneInfo

    from bot.domain.announcing import Announcing
    from storage.db import Database

    kb = _program(args.program)
    if kb is None:
        return 2
    text = (Path(args.file).read_text(encoding="utf-8") if args.file else args.text).strip()
    if not text:
        print("The announcement is empty.", file=sys.stderr)
        return 2
    due = None
    if args.at:
        try:
            due = dt.datetime.fromisoformat(args.at)
        except ValueError:
            print(f"--at must be a date and time like 2026-11-24T09:00, not '{args.at}'",
                  file=sys.stderr)
            return 2
        if due.tzinfo is None:  # a wall-clock time in the program's own time zone
            due = due.replace(tzinfo=ZoneInfo(kb.program.timezone))

    async def schedule() -> tuple[int, int]:
        db = Database(settings.database_url)
        try:
            await db.upgrade()
            return await Announcing(db).schedule(args.program, text, due, args.school)
        finally:
            await db.dispose()

    announcement, recipients = asyncio.run(schedule())
    who = f"families of {args.school}" if args.school else f"all {args.program} families"
    when = f"at {due:%Y-%m-%d %H:%M %Z}" if due else "now (within seconds, while the bot runs)"
    stdout.write(f"Announcement #{announcement} to {who} ({recipients} chats today), "
                 f"sending {when}.\n")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="finalmile", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot on Telegram (console chat when no token is set)")
    sub.add_parser("console", help="chat with the bot in this terminal")
    db = sub.add_parser("db", help="database").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply pending migrations")
    faq = sub.add_parser("faq", help="FAQ tools").add_subparsers(dest="faq_command", required=True)
    ask = faq.add_parser("ask", help="answer questions (one per stdin line with -)")
    ask.add_argument("--program", required=True)
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    ask.add_argument("questions", nargs="*", help="a question, or - to read stdin")
    check = faq.add_parser("check", help="validate the knowledge-base files")
    check.add_argument("files", nargs="*")
    unanswered = faq.add_parser("unanswered", help="questions the bot could not answer")
    unanswered.add_argument("--program", required=True)
    unanswered.add_argument("--limit", type=int, default=100)
    miles = sub.add_parser("miles", help="mile messages").add_subparsers(dest="miles_command",
                                                                         required=True)
    parse = miles.add_parser("parse", help="what a message logs (one per stdin line with -)")
    parse.add_argument("--json", action="store_true", help="one JSON object per line")
    parse.add_argument("--children", help="the family's children, comma-separated")
    parse.add_argument("--today", help="the date to read 'today' as (YYYY-MM-DD)")
    parse.add_argument("questions", nargs="*", help="a message, or - to read stdin")
    export = sub.add_parser("export", help="children and their miles as CSV, for packet pickup")
    export.add_argument("--program", required=True)
    export.add_argument("--school", help="only this school's children")
    export.add_argument("--csv", required=True, help="the file to write")
    announce = sub.add_parser("announce", help="send an announcement to families")
    announce.add_argument("--program", required=True)
    announce.add_argument("--school", help="only families with a child at this school")
    announce.add_argument("--at", help="when, e.g. 2026-11-24T09:00 (program's time zone)")
    what = announce.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", help="the message")
    what.add_argument("--file", help="a file holding the message")
    return p


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None) -> int:
    args = parser().parse_args(argv)
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "faq" and args.faq_command == "ask":
        return _faq_ask(args, stdin, stdout)
    if args.command == "faq" and args.faq_command == "check":
        return _faq_check(args, stdout)
    if args.command == "miles":
        return _miles_parse(args, stdin, stdout)
    settings = load_settings()
    logging.getLogger().setLevel(settings.log_level.upper())
    if args.command == "run":
        return _run(settings)
    if args.command == "console":
        return _console(settings)
    if args.command == "db":
        return _db_upgrade(settings)
    if args.command == "export":
        return _export(settings, args, stdout)
    if args.command == "announce":
        return _announce(settings, args, stdout)
    return _faq_unanswered(settings, args, stdout)


if __name__ == "__main__":
    sys.exit(main())
