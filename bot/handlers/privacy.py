"""/privacy says what is kept; /forget erases the family's data, after a confirmation."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import ConfirmForget, KeepFamily
from bot.context import FinalMileContext
from bot.domain.privacy import Erased
from bot.handlers.common import alert, chat_ids, edit, pressed, send
from bot.outgoing import CURRENT
from bot.texts import privacy as privacy_texts


async def show_privacy(update: Update, context: FinalMileContext) -> None:
    chat_id, _ = chat_ids(update)
    program = await context.services.chats.program_of(chat_id)
    await send(update, context, privacy_texts.privacy(
        program, context.services.updates_retention_days))


async def forget_command(update: Update, context: FinalMileContext) -> None:
    """Ask first, saying what would go."""
    chat_id, _ = chat_ids(update)
    privacy = context.services.privacy
    await send(update, context, privacy_texts.confirm_forget(
        await privacy.kept(chat_id), privacy.asked_now()))


async def forget_confirmed(update: Update, context: FinalMileContext) -> None:
    """Erase it all. The answer is a pop-up: a message in the chat would be kept again."""
    action = await pressed(update, ConfirmForget)
    if action is None:
        return
    chat_id, _ = chat_ids(update)
    result = await context.services.privacy.erase(chat_id, update.update_id, action.asked)
    outgoing = CURRENT.get()
    if outgoing is not None and isinstance(result, Erased):
        outgoing.erased = True
    await alert(update, privacy_texts.forgotten(result))


async def keep_pressed(update: Update, context: FinalMileContext) -> None:
    await pressed(update, KeepFamily)
    await edit(update, context, privacy_texts.kept())
