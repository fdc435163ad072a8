"""The `finalmile` command: run the bot, the console chat, migrations, and organizers' tools."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from bot.config import Settings, load_settings


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

    logging.getLogger("alembic").setLevel(logging.WARNING)  # keep the chat screen clean
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


def _faq_ask(args: argparse.Namespace, stdin: TextIO, stdout: TextIO) -> int:
    from faq.kb import load_knowledge_bases
    from faq.match import Matcher

    kbs = load_knowledge_bases()
    if args.program not in kbs:
        print(f"Unknown program '{args.program}'. Known: {', '.join(kbs)}", file=sys.stderr)
        return 2
    matcher = Matcher(kbs[args.program])
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
    from storage.db import Database

    async def fetch() -> list[repo.QuestionRecord]:
        db = Database(settings.database_url)
        try:
            await db.upgrade()
            async with db.session() as session:
                return await repo.open_questions(session, args.program, args.limit)
        finally:
            await db.dispose()

    questions = asyncio.run(fetch())
    for q in questions:
        stdout.write(f"{q.asked_at:%Y-%m-%d %H:%M}  {q.text}\n")
    if not questions:
        stdout.write("No unanswered questions.\n")
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
    settings = load_settings()
    logging.getLogger().setLevel(settings.log_level.upper())
    if args.command == "run":
        return _run(settings)
    if args.command == "console":
        return _console(settings)
    if args.command == "db":
        return _db_upgrade(settings)
    return _faq_unanswered(settings, args, stdout)


if __name__ == "__main__":
    sys.exit(main())
