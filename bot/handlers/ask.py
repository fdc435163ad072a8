"""Questions typed in plain text, and the "did you mean" buttons."""

from __future__ import annotations

from telegram import Update

from bot import replies
from bot.context import FinalMileContext
from bot.handlers.common import chat_ids, number, remove_buttons, send
from bot.handlers.start import PENDING_QUESTION


async def question(update: Update, context: FinalMileContext) -> None:
    """Log the miles in this message, or answer the question in it."""
    chat_id, kind = chat_ids(update)
    text = update.effective_message.text or ""
    user_id = update.effective_user.id if update.effective_user else None
    reply = await context.services.on_text(chat_id, kind, user_id, text)
    if reply is None:  # no program yet: ask for it, and answer once it is chosen
        if context.chat_data is not None:
            context.chat_data[PENDING_QUESTION] = text
        reply = replies.pick_program(context.services.kbs)
    await send(update, context, reply)


async def suggestion_chosen(update: Update, context: FinalMileContext) -> None:
    """Answer with the suggestion pressed, or pass the question on for "None of these"."""
    query = update.callback_query
    chat_id, _kind = chat_ids(update)
    action, _, rest = (query.data or "").partition(":")
    question_id, _, entry_id = rest.partition(":")
    await query.answer()
    if number(question_id) is None:
        await send(update, context, replies.stale_button())
        return
    reply = await context.services.pick(
        chat_id, int(question_id), entry_id if action == "pick" else None
    )
    await remove_buttons(update)
    await send(update, context, reply)
