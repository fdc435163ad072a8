"""/help, /whoami, unknown commands, /cancel outside a flow, button labels typed instead of pressed,
non-text messages, stale buttons and errors."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import ApplicationHandlerStop

from bot.context import FinalMileContext, fold
from bot.handlers.common import answer_press, chat_ids, send, typed_text, user_id
from bot.outgoing import CURRENT
from bot.texts import common as common_texts
from bot.texts import conversations as conversations_texts
from bot.texts import help as help_texts
from bot.texts import reminders as reminders_texts
from bot.texts import roles as roles_texts
from bot.texts.reply import Reply

log = logging.getLogger(__name__)


async def show_help(update: Update, context: FinalMileContext) -> None:
    """Show what a family can do here; an organizer, in a private chat, also sees their tools."""
    chat_id, kind = chat_ids(update)
    facts = await context.services.guide.help(chat_id, kind, user_id(update))
    await send(update, context, help_texts.help_for(facts))


async def whoami(update: Update, context: FinalMileContext) -> None:
    """Tell the sender their Telegram id (and the group's, in a group)."""
    chat_id, kind = chat_ids(update)
    message = update.effective_message
    # Written as the group or a channel (an anonymous admin): the user on it is a stand-in.
    anonymous = message is not None and message.sender_chat is not None
    who = await context.services.staffing.identify(
        None if anonymous else user_id(update), chat_id, kind,
        await context.services.chats.program_of(chat_id))
    await send(update, context, roles_texts.whoami(who))


async def reminders(update: Update, context: FinalMileContext) -> None:
    """Turn reminders on or off (`/reminders off`), or say how."""
    chat_id, _ = chat_ids(update)
    wanted = (context.args or [""])[0].lower()
    if wanted not in ("on", "off"):
        await send(update, context, reminders_texts.usage())
        return
    result = await context.services.reminders.set(chat_id, wanted == "on")
    await send(update, context, reminders_texts.switched(result))


async def unknown_command(update: Update, context: FinalMileContext) -> None:
    """Say which commands exist."""
    await send(update, context, common_texts.unknown_command())


async def cancel(update: Update, context: FinalMileContext) -> None:
    """/cancel that no open conversation took (an open one takes /cancel itself)."""
    await send(update, context, _cancel(update, context))


def _cancel(update: Update, context: FinalMileContext) -> Reply:
    """Drop the chat's questions about miles that wait for a button, and a message that waits
    for the program to be chosen; say so."""
    chat_id, _ = chat_ids(update)
    waiting, context.chat.waiting = context.chat.waiting, None
    return conversations_texts.cancelled(context.services.logbook.cancel_pending(chat_id),
                                          waiting is not None)


async def typed_label(update: Update, context: FinalMileContext) -> None:
    """ "cancel" typed, or a recent button's label, that no open conversation took: answer it
    as such (never as a question, never kept as one). Anything else goes on to the next group.
    """
    text = typed_text(update)
    button = context.chat.typed_label(text)
    if fold(text) in conversations_texts.CANCEL_WORDS:
        reply = _cancel(update, context)
    elif button is not None and not context.services.logbook.looks_like_miles(text):
        reply = conversations_texts.stale_label(button.label, button.prefix)
    else:
        return  # "2" may be a grade button's label, but it is also 2 miles: log them
    await send(update, context, reply)
    raise ApplicationHandlerStop


async def non_text(update: Update, context: FinalMileContext) -> None:
    """Ask for text when a sticker, photo or voice message arrives."""
    await send(update, context, common_texts.non_text())


async def ignore(_update: Update, _context: FinalMileContext) -> None:
    """Do nothing, and let no other handler see this update."""
    raise ApplicationHandlerStop


async def membership_changed(update: Update, context: FinalMileContext) -> None:
    """Stop sending to a chat that blocked or removed the bot; start again when let back in."""
    change = update.my_chat_member
    if change is None:
        return
    status = change.new_chat_member.status
    await context.services.chats.set_active(change.chat.id, status not in ("kicked", "left"))


async def group_migrated(update: Update, context: FinalMileContext) -> None:
    """Move the family to the supergroup's new chat id."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id is not None:
        await context.services.chats.move_chat(message.chat_id, message.migrate_to_chat_id)


async def stale_button(update: Update, context: FinalMileContext) -> None:
    """A button whose data no handler knows: from an old message or an older version."""
    await answer_press(update)
    await send(update, context, common_texts.stale_button())


async def on_error(update: object, context: FinalMileContext) -> None:
    """Log the failure and apologize to the user; never show them a traceback."""
    log.error("Error while handling an update", exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    outgoing = CURRENT.get()
    if outgoing is not None:  # the handling loop undoes what this update did
        outgoing.fail()
    if isinstance(context.error, Forbidden):
        return  # the user blocked the bot: nothing to say, nobody to say it to
    try:
        await send(update, context, common_texts.something_went_wrong())
    except TelegramError:
        log.warning("Could not send the apology either", exc_info=True)
