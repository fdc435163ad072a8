"""Coaches and organizers: joining by an invite link (/start join-...), /invite, /roster."""

from __future__ import annotations

from telegram import Update

from bot.context import FinalMileContext
from bot.domain.access import Role
from bot.domain.staffing import Joined
from bot.handlers.common import after_command, chat_ids, send, user_id
from bot.texts import faq as faq_texts
from bot.texts import figures as figures_texts
from bot.texts import staff as staff_texts


async def join(update: Update, context: FinalMileContext, code: str) -> None:
    """An invite link was opened: its role goes to whoever opened it."""
    who = user_id(update)
    if who is None:
        return
    result = await context.services.staffing.join(code, who)
    if isinstance(result, Joined):  # the chat follows the program they now help run
        chat_id, kind = chat_ids(update)
        await context.services.chats.choose_program(chat_id, kind, result.program.slug)
    await send(update, context, staff_texts.joined(result))


async def invite(update: Update, context: FinalMileContext) -> None:
    """/invite coach SCHOOL or /invite organizer: a one-time link, organizers only."""
    args = context.args or []
    roles = {r.value: r for r in (Role.COACH, Role.ORGANIZER)}
    if not args or args[0].lower() not in roles:
        await send(update, context, staff_texts.invite_usage())
        return
    chat_id, _ = chat_ids(update)
    program = await context.services.chats.program_of(chat_id)
    result = await context.services.staffing.invite(
        program.slug if program else "", roles[args[0].lower()], " ".join(args[1:]),
        by=user_id(update) or 0)
    await send(update, context, staff_texts.invite(result, context.bot.username))


async def roster(update: Update, context: FinalMileContext) -> None:
    chat_id, _ = chat_ids(update)
    program = await context.services.chats.program_of(chat_id)
    await send(update, context, staff_texts.roster(
        await context.services.staffing.roster(user_id(update), program)))


async def notice(update: Update, context: FinalMileContext) -> None:
    """/notice TEXT: a coach writes to their school's families."""
    text = after_command(update)  # a first line "at TIME" keeps its line break
    if not text:
        await send(update, context, staff_texts.notice_usage())
        return
    chat_id, _ = chat_ids(update)
    program = await context.services.chats.program_of(chat_id)
    await send(update, context, staff_texts.notice(
        await context.services.staffing.notice(user_id(update), program, text)))


async def figures(update: Update, context: FinalMileContext) -> None:
    """/figures: the program's figures per school, organizers only."""
    chat_id, _ = chat_ids(update)
    program = await context.services.chats.program_of(chat_id)
    for reply in figures_texts.figures(
            await context.services.figures.of(program, user_id(update))):
        await send(update, context, reply)


async def contact(update: Update, context: FinalMileContext) -> None:
    """/contact TEXT: a coach shares how their school's families reach them (off: stop)."""
    text = after_command(update)
    if not text:
        await send(update, context, staff_texts.contact_usage())
        return
    chat_id, _ = chat_ids(update)
    program = await context.services.chats.program_of(chat_id)
    await send(update, context, staff_texts.contact(await context.services.staffing.share_contact(
        user_id(update), program, None if text.lower() == "off" else text)))


async def schools(update: Update, context: FinalMileContext) -> None:
    """/schools: the program's list of schools."""
    chat_id, _ = chat_ids(update)
    program = await context.services.chats.program_of(chat_id)
    if program is None:
        await send(update, context, faq_texts.pick_program(context.services.programs))
        return
    await send(update, context, staff_texts.schools(
        program, await context.services.schools.of(program)))


async def add_school(update: Update, context: FinalMileContext) -> None:
    """/addschool NAME: organizers add a school to their program's list."""
    chat_id, _ = chat_ids(update)
    program = await context.services.chats.program_of(chat_id)
    await send(update, context, staff_texts.school_added(await context.services.schools.add(
        program, after_command(update), user_id(update))))
