"""`finalmile invite`: a one-time link that makes whoever opens it a coach or organizer."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TextIO

from bot.config import Settings


def _bot_username(settings: Settings) -> str | None:
    """BOT_USERNAME, or the bot's own answer to getMe when only the token is set."""
    if settings.bot_username:
        return settings.bot_username.removeprefix("@")
    if not settings.token:
        return None
    from telegram import Bot

    from bot.services import bot_api_url

    async def ask() -> str:
        async with Bot(settings.token or "",
                       base_url=bot_api_url(settings.telegram_api_base_url)) as bot:
            return bot.username

    return asyncio.run(ask())


def invite(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    from bot.domain.access import Role
    from bot.domain.staffing import InviteMade, NotAllowed, UnknownProgram, UnknownSchool
    from bot.services import build_services
    from bot.texts import staff as staff_texts

    role = Role(args.role)
    if role == Role.COACH and not args.school:
        print("A coach's invite needs --school NAME.", file=sys.stderr)
        return 2
    username = _bot_username(settings)
    if username is None:
        print("Set BOT_USERNAME (or TELEGRAM_BOT_TOKEN) to make invite links.", file=sys.stderr)
        return 2

    async def make() -> InviteMade | UnknownProgram | UnknownSchool | NotAllowed:
        async with build_services(settings, sending=False) as services:
            return await services.staffing.invite(args.program, role, args.school or "")

    result = asyncio.run(make())
    if not isinstance(result, InviteMade):
        print(staff_texts.invite(result, username).text, file=sys.stderr)
        return 2
    who = f"coach of {result.role.school}" if result.role.school else "organizer"
    stdout.write(f"An invite for a {who} of {args.program}, usable once until "
                 f"{result.expires_at:%Y-%m-%d %H:%M} UTC:\n")
    stdout.write(staff_texts.invite_link(username, result.code) + "\n")
    return 0


def figures(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    """`finalmile figures --program SLUG [--csv FILE|-]`: what /figures shows organizers."""
    from bot.domain.figures import Figures, ProgramFigures
    from bot.services import build_services
    from bot.texts import figures as figures_texts

    async def count() -> Figures | None:
        async with build_services(settings, sending=False) as services:
            program = services.programs.get(args.program)
            if program is None:
                return None
            found = await ProgramFigures(services.db, services.programs).of(program)
            return found if isinstance(found, Figures) else None

    found = asyncio.run(count())
    if found is None:
        print(f"Unknown program '{args.program}'.", file=sys.stderr)
        return 2
    if args.csv is None:
        stdout.write(figures_texts.text(found) + "\n")
    elif args.csv == "-":
        stdout.write(figures_texts.as_csv(found))
    else:
        try:
            with open(args.csv, "w", newline="", encoding="utf-8") as file:
                file.write(figures_texts.as_csv(found))
        except OSError as exc:
            print(f"Could not write {args.csv}: {exc.strerror}", file=sys.stderr)
            return 1
        stdout.write(f"Wrote {len(found.schools)} school(s) and the total to {args.csv}.\n")
    return 0
