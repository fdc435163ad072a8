"""Questions typed in plain text, and the "did you mean" buttons."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import NoneOfThese, NotThis, PickSuggestion
from bot.context import FinalMileContext, Waiting
from bot.domain.asking import Answered, AskResult, NotedAlready, SmallTalk, Suggested, Unanswered
from bot.domain.chats import NoProgram
from bot.domain.log_results import LogResult
from bot.domain.programs import Program
from bot.handlers.common import (
    alert,
    answer_press,
    chat_ids,
    pressed,
    remove_buttons,
    send,
    typed_text,
)
from bot.texts import common as common_texts
from bot.texts import faq as faq_texts
from bot.texts import miles as miles_texts
from bot.texts.reply import Reply


async def question(update: Update, context: FinalMileContext) -> None:
    """Log the miles in this message, or answer the question in it."""
    chat_id, kind = chat_ids(update)
    text = typed_text(update)
    user_id = update.effective_user.id if update.effective_user else None
    result = await context.services.inbox.on_text(chat_id, kind, user_id, text)
    if isinstance(result, NoProgram):  # ask for it, and handle the message once it is chosen
        context.chat.waiting = Waiting(text, user_id)
    await send(update, context, reply_to(result, context.services.programs))


def reply_to(result: NoProgram | LogResult | AskResult, programs: dict[str, Program]) -> Reply:
    """The words for what came of a typed message."""
    match result:
        case NoProgram():
            return faq_texts.pick_program(programs)
        case Answered() | Suggested() | Unanswered() | SmallTalk():
            return faq_texts.asked(result)
        case _:  # miles: logged, asked about, or refused with the reason
            return miles_texts.logging(result)


async def suggestion_chosen(update: Update, context: FinalMileContext) -> None:
    """Answer with the suggestion pressed, or pass the question on for "None of these"."""
    chat_id, _kind = chat_ids(update)
    data = update.callback_query.data if update.callback_query else None
    action = await pressed(update, PickSuggestion) or NoneOfThese.unpack(data)
    if action is None:
        await send(update, context, common_texts.stale_button())
        return
    entry_id = action.entry_id if isinstance(action, PickSuggestion) else None
    reply = faq_texts.picked(await context.services.asking.pick(chat_id, action.question_id,
                                                                 entry_id))
    await remove_buttons(update)
    await send(update, context, reply)


async def not_what_i_asked(update: Update, context: FinalMileContext) -> None:
    """Offer the next suggestions for an answer the parent says missed (recorded once)."""
    chat_id, _kind = chat_ids(update)
    action = NotThis.unpack(update.callback_query.data if update.callback_query else None)
    if action is None:
        await answer_press(update)
        await send(update, context, common_texts.stale_button())
        return
    result = await context.services.asking.not_this(chat_id, action.question_id)
    if isinstance(result, NotedAlready):  # a second tap: a pop-up, not another message
        await alert(update, faq_texts.noted_already())
        return
    await answer_press(update)
    await remove_buttons(update)
    await send(update, context, faq_texts.not_this(result))
