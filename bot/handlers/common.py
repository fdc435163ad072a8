"""Turning a `Reply` into a Telegram message, shared by all handlers."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable
from typing import TypeVar

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CommandHandler, ConversationHandler, MessageHandler, filters

from bot.callbacks import ButtonData
from bot.context import FinalMileContext
from bot.domain.programs import Program
from bot.keyboards import keyboard
from bot.texts import faq as replies
from bot.texts.faq import Reply

A = TypeVar("A", bound=ButtonData)
TEXT_LIMIT = 4096  # Telegram's limits for a message and for a photo's caption
CAPTION_LIMIT = 1024


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    return keyboard([[(b.label, b.data.pack()) for b in row] for row in reply.buttons])


async def pressed(update: Update, action: type[A]) -> A | None:
    """Answer the button press (Telegram shows a spinner until then) and read its action;
    None when the data is malformed or from another action."""
    query = update.callback_query
    if query is None:
        return None
    await query.answer()
    return action.unpack(query.data)


async def send(update: Update, context: FinalMileContext, reply: Reply) -> None:
    """Send a reply into the chat the update came from."""
    chat = update.effective_chat
    if chat is None:
        return
    context.services.delivery.note_reply()  # the outbox leaves room for replies
    if reply.photo is not None:
        await context.bot.send_photo(chat.id, reply.photo, caption=_fit(reply.text, CAPTION_LIMIT),
                                     reply_markup=markup(reply))
        return
    await context.bot.send_message(chat.id, _fit(reply.text, TEXT_LIMIT),
                                   reply_markup=markup(reply))


def _fit(text: str, limit: int) -> str:
    """Telegram refuses longer texts outright; a shortened reply beats none."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def edit(update: Update, reply: Reply) -> None:
    """Replace the message a button was pressed on (its old buttons go away)."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.edit_message_text(reply.text, reply_markup=markup(reply))
    except BadRequest as exc:
        if not _harmless(exc):
            raise


async def remove_buttons(update: Update) -> None:
    """Take the buttons off the message they were pressed on, so they can't be pressed twice."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_reply_markup(None)
    except BadRequest as exc:
        if not _harmless(exc):
            raise


def _harmless(exc: BadRequest) -> bool:
    """Edits that fail because nothing changed or the message is too old to edit."""
    text = str(exc).lower()
    return "not modified" in text or "can't be edited" in text or "not found" in text


def chat_ids(update: Update) -> tuple[int, str]:
    chat = update.effective_chat
    assert chat is not None  # handlers below only receive updates that have a chat
    return chat.id, chat.type


async def program_or_ask(update: Update, context: FinalMileContext) -> Program | None:
    """The chat's program; asks to choose one (and returns None) when there is none yet."""
    chat_id, _ = chat_ids(update)
    program = await context.services.chats.program_of(chat_id)
    if program is None:
        await send(update, context, replies.pick_program(context.services.programs))
    return program


def chat_draft(update: Update, context: FinalMileContext, key: str) -> dict:
    """This adult's unfinished answers in this chat (the same parent may be in two chats)."""
    if context.user_data is None:
        return {}
    chat_id, _ = chat_ids(update)
    return context.user_data.setdefault(key, {}).setdefault(chat_id, {})


def guided_conversation(name: str, entry_points: list, states: dict, cancel: Callable,  # type: ignore[type-arg]
                        leave: Callable, timeout: dt.timedelta) -> ConversationHandler:
    """A step-by-step conversation: /cancel stops it, any other command leaves it and runs.

    Buttons are tracked per chat and user, not per message, on purpose: the flows are linear
    and a press on an older message of the same flow is still meant.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'")
        return ConversationHandler(
            entry_points=entry_points, states=states,
            fallbacks=[CommandHandler("cancel", cancel), MessageHandler(filters.COMMAND, leave)],
            conversation_timeout=timeout, name=name)
