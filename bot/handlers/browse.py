"""/faq: browse the program's topics and questions with buttons."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import AllTopics, ShowEntry, Topic
from bot.context import FinalMileContext, Waiting
from bot.handlers.common import chat_ids, edit, pressed, send
from bot.texts import common as common_texts
from bot.texts import faq as faq_texts


async def show_topics(update: Update, context: FinalMileContext) -> None:
    """Show the topics; `/faq some question` is answered like a typed question."""
    chat_id, kind = chat_ids(update)
    services = context.services
    program = await services.chats.program_of(chat_id)
    if program is None:
        if context.args:  # a question, asked once the program is chosen
            user_id = update.effective_user.id if update.effective_user else None
            context.chat.waiting = Waiting(" ".join(context.args), user_id, question=True)
        await send(update, context, faq_texts.pick_program(services.programs))
        return
    if context.args:
        result = await services.asking.ask(program, chat_id, kind, " ".join(context.args))
        await send(update, context, faq_texts.asked(result))
        return
    kb = (await services.faq.current(program.slug)).kb  # written entries too
    await send(update, context, faq_texts.topics(program, kb))


async def all_topics(update: Update, context: FinalMileContext) -> None:
    """Go back to the list of topics."""
    action = await pressed(update, AllTopics)
    kb = await context.services.faq.kb(action.slug) if action else None
    if kb is None:
        await send(update, context, common_texts.stale_button())
        return
    await edit(update, context, faq_texts.topics(context.services.programs[kb.slug], kb))


async def topic_chosen(update: Update, context: FinalMileContext) -> None:
    """List the questions of the pressed topic."""
    action = await pressed(update, Topic)
    kb = await context.services.faq.kb(action.slug) if action else None
    if action is None or kb is None or action.index >= len(kb.topics):
        await send(update, context, common_texts.stale_button())
        return
    await edit(update, context, faq_texts.topic_entries(kb, action.index))


async def entry_chosen(update: Update, context: FinalMileContext) -> None:
    """Send the answer to the pressed question."""
    action = await pressed(update, ShowEntry)
    kb = await context.services.faq.kb(action.slug) if action else None
    entry = kb.entry(action.entry_id) if kb and action else None
    await send(update, context, faq_texts.answer(entry) if entry else common_texts.stale_button())
