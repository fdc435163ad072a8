"""/faq: browse the program's topics and questions with buttons."""

from __future__ import annotations

from telegram import Update

from bot import replies
from bot.context import FinalMileContext
from bot.handlers.common import chat_ids, edit, number, send
from bot.handlers.start import PENDING_QUESTION


async def show_topics(update: Update, context: FinalMileContext) -> None:
    """Show the topics; `/faq some question` is answered like a typed question."""
    chat_id, kind = chat_ids(update)
    services = context.services
    kb = await services.program_of(chat_id)
    if kb is None:
        if context.args and context.chat_data is not None:
            context.chat_data[PENDING_QUESTION] = " ".join(context.args)
        await send(update, context, replies.pick_program(services.kbs))
        return
    if context.args:
        reply = await services.ask(chat_id, kind, " ".join(context.args))
        await send(update, context, reply or replies.topics(kb))
        return
    await send(update, context, replies.topics(kb))


async def all_topics(update: Update, context: FinalMileContext) -> None:
    """Go back to the list of topics."""
    query = update.callback_query
    kb = context.services.kbs.get((query.data or "").removeprefix("faq:"))
    await query.answer()
    if kb is None:
        await send(update, context, replies.stale_button())
        return
    await edit(update, replies.topics(kb))


async def topic_chosen(update: Update, context: FinalMileContext) -> None:
    """List the questions of the pressed topic."""
    query = update.callback_query
    _, slug, index = _fields(query.data)
    kb = context.services.kbs.get(slug)
    await query.answer()
    if kb is None or number(index) is None or int(index) >= len(kb.topics):
        await send(update, context, replies.stale_button())
        return
    await edit(update, replies.topic_entries(kb, int(index)))


async def entry_chosen(update: Update, context: FinalMileContext) -> None:
    """Send the answer to the pressed question."""
    query = update.callback_query
    _, slug, entry_id = _fields(query.data)
    kb = context.services.kbs.get(slug)
    entry = kb.entry(entry_id) if kb else None
    await query.answer()
    await send(update, context, replies.answer(entry) if entry else replies.stale_button())


def _fields(data: str | None) -> tuple[str, str, str]:
    """`kind:slug:value` callback data, padded so a malformed one never raises."""
    kind, slug, value = [*(data or "").split(":", 2), "", ""][:3]
    return kind, slug, value
