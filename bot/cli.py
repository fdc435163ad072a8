"""The `finalmile` command: run the bot, the console chat, migrations, and organizers' tools."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from typing import TextIO

from bot import cli_model
from bot import cli_tools as tools
from bot.config import Settings, load_settings

CONSOLE_LOG = "finalmile.log"  # where the console chat's log lines go, off the chat screen


def _run(settings: Settings) -> int:
    if not settings.token:
        print("No TELEGRAM_BOT_TOKEN set: opening the console chat instead.\n")
        return _console(settings)
    from bot.runner import run

    return run(settings)


def _log_to_file(path: str) -> None:
    """Send every log line to `path` instead of the terminal (the console chat's screen)."""
    root = logging.getLogger()
    for handler in root.handlers[:]:
        root.removeHandler(handler)
        handler.close()
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


def _console(settings: Settings) -> int:
    from bot.app import build_application
    from bot.console import ConsoleRequest, run_console
    from bot.single import AlreadyRunning, SingleProcess

    try:
        lock = SingleProcess(settings.database_url)
        lock.acquire()
    except AlreadyRunning as exc:
        print(f"Not starting: {exc}", file=sys.stderr)
        return 1
    _log_to_file(CONSOLE_LOG)
    for noisy in ("alembic", "telegram", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    request = ConsoleRequest()
    app = build_application(settings, request=request)
    with lock:
        asyncio.run(run_console(app, request))
    return 0


def _webhook_set(settings: Settings) -> int:
    """Set Telegram's webhook from the settings now, whatever it was (a new secret)."""
    from telegram import Bot

    from bot.services import bot_api_url
    from bot.webhook import ensure_webhook

    if not (settings.token and settings.webhook_url and settings.secret):
        print("Set TELEGRAM_BOT_TOKEN, WEBHOOK_URL and WEBHOOK_SECRET first.", file=sys.stderr)
        return 1
    url, secret = settings.webhook_url, settings.secret

    async def set_it() -> None:
        async with Bot(settings.token or "", base_url=bot_api_url(
                settings.telegram_api_base_url)) as bot:
            await ensure_webhook(bot, url, secret, force=True)

    asyncio.run(set_it())
    print(f"Webhook set to {url}.")
    return 0


def _db_upgrade(settings: Settings) -> int:
    from bot.services import build_services

    async def upgrade() -> None:
        async with build_services(settings, sending=False):
            pass  # opening the services brings the schema up to date

    asyncio.run(upgrade())
    print("Database is up to date.")
    return 0


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 up, not '{value}'")
    return int(value)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="finalmile", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot on Telegram (console chat when no token is set)")
    sub.add_parser("console", help="chat with the bot in this terminal")
    db = sub.add_parser("db", help="database").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="apply pending migrations")
    hook = sub.add_parser("webhook", help="Telegram's webhook").add_subparsers(
        dest="webhook_command", required=True)
    hook.add_parser("set", help="set it from WEBHOOK_URL and WEBHOOK_SECRET now (a new secret)")
    faq = sub.add_parser("faq", help="FAQ tools").add_subparsers(dest="faq_command", required=True)
    ask = faq.add_parser("ask", help="answer questions (one per stdin line with -)")
    ask.add_argument("--program", required=True)
    ask.add_argument("--json", action="store_true", help="one JSON object per line")
    ask.add_argument("questions", nargs="*", help="a question, or - to read stdin")
    cli_model.add_parser(faq)
    check = faq.add_parser("check", help="validate the knowledge-base files")
    check.add_argument("files", nargs="*")
    unanswered = faq.add_parser("unanswered", help="questions the bot could not answer, grouped")
    unanswered.add_argument("--program", required=True)
    unanswered.add_argument("--limit", type=_positive, default=100,
                            help="the biggest N groups (default 100)")
    unanswered.add_argument("--json", action="store_true", help="one JSON object per group")
    review = faq.add_parser("review", help="what the FAQ learned, for organizers to decide")
    review.add_argument("--program", required=True)
    step = review.add_mutually_exclusive_group()
    step.add_argument("--accept", type=_positive, metavar="ID", help="accept a candidate")
    step.add_argument("--reject", type=_positive, metavar="ID", help="reject a candidate")
    step.add_argument("--attach", type=_positive, metavar="KEY",
                      help="attach a group of questions to --entry")
    step.add_argument("--dismiss", type=_positive, metavar="KEY",
                      help="dismiss a group of questions the FAQ should not answer")
    review.add_argument("--text", help="with --accept: the phrasing, edited")
    review.add_argument("--entry", help="with --attach: the entry's id")
    review.add_argument("--json", action="store_true", help="one JSON object per item")
    faq_export = faq.add_parser("export", help="write what the FAQ learned into its YAML file")
    faq_export.add_argument("--program", required=True)
    faq_export.add_argument("--out", help="the file to write (default: the program's own)")
    miles = sub.add_parser("miles", help="mile messages").add_subparsers(dest="miles_command",
                                                                         required=True)
    parse = miles.add_parser("parse", help="what a message logs (one per stdin line with -)")
    parse.add_argument("--json", action="store_true", help="one JSON object per line")
    parse.add_argument("--children", help="the family's children, comma-separated")
    parse.add_argument("--today", help="the date to read 'today' as (YYYY-MM-DD)")
    parse.add_argument("questions", nargs="*", help="a message, or - to read stdin")
    export = sub.add_parser("export", help="children and their miles for packet pickup: a CSV "
                            "file, a printable PDF log, or both")
    export.add_argument("--program", required=True)
    export.add_argument("--school", help="only this school's children")
    export.add_argument("--csv", help="the file to write, or - for standard output")
    export.add_argument("--pdf", help="the printable pickup log to write (a PDF file)")
    announce = sub.add_parser("announce", help="send an announcement to families")
    announce.add_argument("--program", required=True)
    announce.add_argument("--school", help="only families with a child at this school")
    announce.add_argument("--at", help="when, e.g. 2026-11-24T09:00 (program's time zone)")
    what = announce.add_mutually_exclusive_group(required=True)
    what.add_argument("--text", help="the message")
    what.add_argument("--file", help="a file holding the message")
    invite = sub.add_parser("invite", help="a one-time link making a coach or organizer")
    invite.add_argument("--program", required=True)
    invite.add_argument("--school", help="the coach's school")
    invite.add_argument("--role", required=True, choices=("coach", "organizer"))
    figures = sub.add_parser("figures", help="a program's figures per school")
    figures.add_argument("--program", required=True)
    figures.add_argument("--csv", help="write CSV to this file (- for standard output)")
    return p


def main(argv: Sequence[str] | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None) -> int:
    args = parser().parse_args(argv)
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "faq" and args.faq_command == "ask":
        return tools.faq_ask(args, stdin, stdout)
    if args.command == "faq" and args.faq_command == "check":
        return tools.faq_check(args, stdout)
    if args.command == "miles":
        return tools.miles_parse(args, stdin, stdout)
    settings = load_settings()
    logging.getLogger().setLevel(settings.log_level.upper())
    if args.command == "run":
        return _run(settings)
    if args.command == "console":
        return _console(settings)
    if args.command == "db":
        return _db_upgrade(settings)
    if args.command == "webhook":
        return _webhook_set(settings)
    if args.command == "faq" and args.faq_command == "model":
        return cli_model.build(settings, args, stdout)
    if args.command == "faq" and args.faq_command in ("review", "export"):
        from bot import cli_faq

        if args.faq_command == "export":
            return cli_faq.faq_export(settings, args, stdout)
        if (args.attach is None) != (args.entry is None) or (args.text and not args.accept):
            print("--attach needs --entry (and --entry --attach); --text goes with --accept",
                  file=sys.stderr)
            return 2
        return cli_faq.faq_review(settings, args, stdin, stdout)
    if args.command == "export":
        from bot import cli_pickup

        return cli_pickup.export_files(settings, args, stdout)
    if args.command == "announce":
        return tools.announce(settings, args, stdout)
    if args.command in ("invite", "figures"):
        from bot import cli_staff

        return (cli_staff.invite if args.command == "invite" else cli_staff.figures)(
            settings, args, stdout)
    return tools.faq_unanswered(settings, args, stdout)


if __name__ == "__main__":
    sys.exit(main())
