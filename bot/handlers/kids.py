"""/kids: the family's children, and removing one (🗑 asks first).

Adding and renaming are guided conversations: bot/handlers/addkid.py.
"""

from __future__ import annotations

from telegram import Update

from bot.callbacks import ConfirmRemoveKid, KeepKid, RemoveKid
from bot.context import FinalMileContext
from bot.domain.kids import Gone
from bot.handlers.common import chat_ids, pressed, remove_buttons, send
from bot.texts import kids as kids_texts


async def show_kids(update: Update, context: FinalMileContext) -> None:
    """List the family's children with rename and remove buttons."""
    chat_id, _ = chat_ids(update)
    await send(update, context, kids_texts.kid_list(await context.services.kids.current(chat_id)))


async def remove_pressed(update: Update, context: FinalMileContext) -> None:
    """🗑 asks first."""
    action = await pressed(update, RemoveKid)
    await remove_buttons(update)
    chat_id, _ = chat_ids(update)
    child = await context.services.kids.child(chat_id, action.child_id) if action else Gone()
    await send(update, context, kids_texts.confirm_removing(child))


async def remove_confirmed(update: Update, context: FinalMileContext) -> None:
    """ "Yes, remove" removes the child."""
    action = await pressed(update, ConfirmRemoveKid)
    await remove_buttons(update)
    chat_id, _ = chat_ids(update)
    result = await context.services.kids.remove(chat_id, action.child_id) if action else Gone()
    await send(update, context, kids_texts.removing(result))


async def keep_pressed(update: Update, context: FinalMileContext) -> None:
    """ "No, keep": nothing is removed."""
    await pressed(update, KeepKid)
    await remove_buttons(update)
    await send(update, context, kids_texts.kept())
