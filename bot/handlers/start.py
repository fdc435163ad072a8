"""Joining a program: /start with or without a deep-link slug, /program, the program buttons."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import ChooseProgram
from bot.context import FinalMileContext
from bot.handlers.common import chat_ids, edit, pressed, send
from bot.texts import faq as replies

PENDING_QUESTION = "pending_question"


async def start(update: Update, context: FinalMileContext) -> None:
    """Join the program in the deep link, or ask which program."""
    chat_id, kind = chat_ids(update)
    services = context.services
    slug = context.args[0] if context.args else None
    if slug:
        kb = await services.choose_program(chat_id, kind, slug)
        if kb:
            await send(update, context, replies.welcome(kb))
            return
        await send(update, context, replies.pick_program(services.kbs, unknown=slug))
        return
    kb = await services.program_of(chat_id)
    if kb:
        await send(update, context, replies.welcome(kb, returning=True))
    else:
        await send(update, context, replies.pick_program(services.kbs))


async def switch_program(update: Update, context: FinalMileContext) -> None:
    """Switch to the named program, or show the program buttons."""
    chat_id, kind = chat_ids(update)
    services = context.services
    slug = context.args[0] if context.args else None
    if slug:
        kb = await services.choose_program(chat_id, kind, slug)
        if kb:
            await send(update, context, replies.welcome(kb))
            return
    current = await services.program_of(chat_id)
    await send(update, context, replies.pick_program(
        services.kbs, current.program.slug if current else None, unknown=slug))


async def program_chosen(update: Update, context: FinalMileContext) -> None:
    """Join the program on the pressed button, then answer the question that was waiting."""
    chat_id, kind = chat_ids(update)
    action = await pressed(update, ChooseProgram)
    kb = await context.services.choose_program(chat_id, kind, action.slug) if action else None
    if kb is None:
        await send(update, context, replies.stale_button())
        return
    await edit(update, replies.Reply(replies.program_chosen(kb)))
    await send(update, context, replies.welcome(kb))
    pending = context.chat_data.pop(PENDING_QUESTION, None) if context.chat_data else None
    if pending:
        reply = await context.services.ask(chat_id, kind, pending)
        if reply:
            await send(update, context, reply)
