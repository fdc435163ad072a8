"""Joining a program: /start with or without a deep-link slug, /program, the program buttons."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import ChooseProgram
from bot.context import FinalMileContext
from bot.domain.asking import AskResult
from bot.domain.chats import NoProgram
from bot.domain.log_results import LogResult
from bot.domain.programs import Program
from bot.domain.staffing import INVITE_PREFIX
from bot.handlers import staff
from bot.handlers.ask import reply_to
from bot.handlers.common import chat_ids, edit, pressed, send
from bot.texts import common as common_texts
from bot.texts import faq as faq_texts
from bot.texts import help as help_texts
from bot.texts.reply import Reply


async def _welcome(update: Update, context: FinalMileContext, program: Program,
                   returning: bool = False, adding: bool = False) -> None:
    """Welcome the chat to its program; a family with no child yet is told to add one."""
    chat_id, _ = chat_ids(update)
    welcome = await context.services.guide.welcome(chat_id, program, returning=returning)
    await send(update, context, help_texts.welcome(welcome, adding=adding))


async def start(update: Update, context: FinalMileContext) -> None:
    """Join the program in the deep link, or ask which program."""
    chat_id, kind = chat_ids(update)
    services = context.services
    slug = context.args[0] if context.args else None
    if slug and slug.startswith(INVITE_PREFIX):  # an invite link, not a program's
        await staff.join(update, context, slug)
        return
    if slug:
        program = await services.chats.choose_program(chat_id, kind, slug)
        if program:
            await _welcome(update, context, program)
            return
        await send(update, context, faq_texts.pick_program(services.programs, unknown=slug))
        return
    program = await services.chats.program_of(chat_id)
    if program:
        await _welcome(update, context, program, returning=True)
    else:
        await send(update, context, faq_texts.pick_program(services.programs))


async def switch_program(update: Update, context: FinalMileContext) -> None:
    """Switch to the named program, or show the program buttons."""
    chat_id, kind = chat_ids(update)
    services = context.services
    slug = context.args[0] if context.args else None
    if slug:
        program = await services.chats.choose_program(chat_id, kind, slug)
        if program:
            await _welcome(update, context, program)
            return
    current = await services.chats.program_of(chat_id)
    await send(update, context, faq_texts.pick_program(
        services.programs, current.slug if current else None, unknown=slug))


async def program_chosen(update: Update, context: FinalMileContext) -> None:
    """Join the program on the pressed button, then handle the message that was waiting."""
    await join_pressed(update, context)


async def join_pressed(update: Update, context: FinalMileContext, adding: bool = False
                       ) -> Program | None:
    """Join the program on the pressed button, welcome the chat and handle the message it sent
    before it had a program; None (and a word about the stale button) for an unknown one."""
    chat_id, kind = chat_ids(update)
    action = await pressed(update, ChooseProgram)
    services = context.services
    program = (await services.chats.choose_program(chat_id, kind, action.slug)
               if action else None)
    if program is None:
        await send(update, context, common_texts.stale_button())
        return None
    await edit(update, context, Reply(faq_texts.program_chosen(program)))
    await _welcome(update, context, program, adding=adding)
    waiting = context.chat.waiting
    context.chat.waiting = None
    if waiting is None:
        return program
    if waiting.question:  # `/faq <question>`: asked, never read as miles
        result: NoProgram | LogResult | AskResult = await services.asking.ask(
            program, chat_id, kind, waiting.text)
    else:  # typed: miles to log, else a question
        result = await services.inbox.on_text(chat_id, kind, waiting.user_id, waiting.text)
    await send(update, context, reply_to(result, services.programs))
    return program
