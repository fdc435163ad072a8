"""/log, /undo, /history, /progress and the buttons on logged miles."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.callbacks import (
    ConfirmDelete,
    ConfirmLog,
    DeleteEntry,
    HistoryPage,
    KeepEntry,
    Undo,
    WeeklyChart,
)
from bot.context import FinalMileContext
from bot.domain.log_results import NoChildren
from bot.domain.standings import ChildGone, ChildProgress, FamilyProgress
from bot.handlers.common import chat_ids, edit, pressed, program_or_ask, remove_buttons, send
from bot.texts import common as common_texts
from bot.texts import miles as miles_texts
from bot.texts import progress as progress_texts


def _user_id(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


async def log_command(update: Update, context: FinalMileContext) -> None:
    """Log the miles after /log (a bare number counts as miles here)."""
    program = await program_or_ask(update, context)
    if program is None:
        return
    chat_id, _ = chat_ids(update)
    text = " ".join(context.args or [])
    result = await context.services.logbook.log_message(program, chat_id, _user_id(update),
                                                        text, explicit=True)
    await send(update, context, miles_texts.logging(result))


async def confirm_pressed(update: Update, context: FinalMileContext) -> None:
    """A button on "which child?" or "log it again?"."""
    action = await pressed(update, ConfirmLog)
    program = await program_or_ask(update, context)
    if program is None:
        return
    chat_id, _ = chat_ids(update)
    await remove_buttons(update)
    if action is None:
        await send(update, context, common_texts.stale_button())
        return
    result = await context.services.logbook.confirmed(program, chat_id, action.token,
                                                      action.choice)
    await send(update, context, miles_texts.logging(result))


async def undo_command(update: Update, context: FinalMileContext) -> None:
    """Undo the family's latest log."""
    program = await program_or_ask(update, context)
    if program is None:
        return
    chat_id, _ = chat_ids(update)
    await send(update, context, miles_texts.undo(await context.services.logbook.undo(
        program, chat_id)))


async def undo_pressed(update: Update, context: FinalMileContext) -> None:
    """Undo the log whose ↩️ button was pressed."""
    action = await pressed(update, Undo)
    program = await program_or_ask(update, context)
    if program is None:
        return
    chat_id, _ = chat_ids(update)
    await remove_buttons(update)
    if action is None:
        await send(update, context, common_texts.stale_button())
        return
    await send(update, context, miles_texts.undo(await context.services.logbook.undo(
        program, chat_id, action.log_id)))


async def history_command(update: Update, context: FinalMileContext) -> None:
    """List the newest miles with delete buttons and a way back to older ones."""
    chat_id, _ = chat_ids(update)
    await send(update, context, miles_texts.history(await context.services.logbook.history(
        chat_id)))


async def history_page(update: Update, context: FinalMileContext) -> None:
    """Turn the /history message to the page of « Older or Newer »."""
    action = await pressed(update, HistoryPage)
    if action is None:
        await send(update, context, common_texts.stale_button())
        return
    chat_id, _ = chat_ids(update)
    await edit(update, context, miles_texts.history(await context.services.logbook.history(
        chat_id, action.page)))


async def delete_pressed(update: Update, context: FinalMileContext) -> None:
    """🗑 on an entry: ask once before deleting it."""
    action = await pressed(update, DeleteEntry)
    if action is None:
        await send(update, context, common_texts.stale_button())
        return
    chat_id, _ = chat_ids(update)
    await send(update, context, miles_texts.deleting(
        await context.services.logbook.ask_delete(chat_id, action.entry_id)))


async def delete_confirmed(update: Update, context: FinalMileContext) -> None:
    """ "Yes, delete it" deletes the entry."""
    action = await pressed(update, ConfirmDelete)
    program = await program_or_ask(update, context)
    if program is None:
        return
    await remove_buttons(update)
    if action is None:
        await send(update, context, common_texts.stale_button())
        return
    chat_id, _ = chat_ids(update)
    await send(update, context, miles_texts.deleting(
        await context.services.logbook.delete(program, chat_id, action.entry_id)))


async def keep_pressed(update: Update, context: FinalMileContext) -> None:
    """ "No, keep it": nothing is deleted."""
    await pressed(update, KeepEntry)
    await remove_buttons(update)
    await send(update, context, miles_texts.kept())


async def progress_command(update: Update, context: FinalMileContext) -> None:
    """Send each child's progress with their colored training log."""
    program = await program_or_ask(update, context)
    if program is None:
        return
    chat_id, _ = chat_ids(update)
    match await context.services.standings.family(program, chat_id):
        case NoChildren():
            await send(update, context, progress_texts.no_children())
        case FamilyProgress(children=children):
            for child in children:  # drawing takes CPU: off the event loop
                await send(update, context,
                           await asyncio.to_thread(progress_texts.child_progress, child))


async def chart_pressed(update: Update, context: FinalMileContext) -> None:
    """Send the weekly miles chart of the child whose button was pressed."""
    action = await pressed(update, WeeklyChart)
    program = await program_or_ask(update, context)
    if program is None:
        return
    chat_id, _ = chat_ids(update)
    found = (await context.services.standings.child(program, chat_id, action.child_id)
             if action is not None else ChildGone())
    match found:
        case ChildGone():
            await send(update, context, common_texts.stale_button())
        case ChildProgress():
            await send(update, context,
                       await asyncio.to_thread(progress_texts.weekly_chart, found))
