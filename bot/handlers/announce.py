"""/announce (write, choose the audience, preview, send now or at a time) and /announcements.

Organizers only (ORGANIZER_IDS); anyone else gets a polite refusal. The conversation runs in
its own handler group before /addkid's and, like it, lets other commands through; /announce
again starts a fresh draft, /cancel or "cancel" typed drops it.
"""

from __future__ import annotations

import datetime as dt

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import Audience, CancelAnnouncement, RenameKid, SendChoice, WriteReview
from bot.context import AnnouncementDraft, FinalMileContext
from bot.domain.announcing import (
    BadTime,
    Drafting,
    EmptyText,
    Listing,
    TooLong,
    announcement_text,
)
from bot.domain.chats import NoProgram
from bot.domain.kids import clean_school
from bot.domain.programs import Program
from bot.domain.roles import NotAnOrganizer
from bot.domain.schools import listed_as
from bot.handlers.common import (
    chat_ids,
    end_flow,
    guided_conversation,
    pressed,
    program_or_ask,
    remove_buttons,
    send,
    typed_text,
    user_id,
)
from bot.texts import announce as announce_texts
from bot.texts import faq as faq_texts

TEXT, AUDIENCE, SCHOOL, PREVIEW, WHEN = range(10, 15)
TIMEOUT = dt.timedelta(minutes=30)
TYPED = filters.TEXT & ~filters.COMMAND


def _draft(update: Update, context: FinalMileContext) -> AnnouncementDraft | None:
    """This organizer's announcement in progress in this chat, if /announce is open."""
    return context.drafts.announcements.get(chat_ids(update)[0])


def _forget(update: Update, context: FinalMileContext) -> None:
    context.drafts.announcements.pop(chat_ids(update)[0], None)


async def _lost(update: Update, context: FinalMileContext, said: bool = False) -> int:
    """A step without the draft it needs: say so (unless a reply went out already), and end."""
    return await end_flow(update, context, _forget,
                          None if said else announce_texts.lost_track())


async def _cancel(update: Update, context: FinalMileContext) -> int:
    """The Cancel button: drop the draft; nothing is sent."""
    return await end_flow(update, context, _forget, announce_texts.cancelled())


async def announce(update: Update, context: FinalMileContext) -> int:
    """Start an announcement (afresh, if one was halfway): organizers only."""
    chat_id, _ = chat_ids(update)
    match await context.services.announcing.start(user_id(update), chat_id):
        case NotAnOrganizer():
            await send(update, context, announce_texts.not_an_organizer())
            raise ApplicationHandlerStop(ConversationHandler.END)
        case NoProgram():
            await send(update, context, faq_texts.pick_program(context.services.programs))
            _forget(update, context)
            raise ApplicationHandlerStop(ConversationHandler.END)
        case Drafting(program=program):
            restarted = _draft(update, context) is not None
            context.drafts.announcements[chat_id] = AnnouncementDraft(program=program.slug)
            await send(update, context, announce_texts.ask_text(program.short_name, restarted))
            return TEXT  # no stop: an unfinished /addkid in the next group hears it and ends


async def got_text(update: Update, context: FinalMileContext) -> int:
    """Keep the text, then ask who gets it; a text one message can't hold is refused."""
    program = await program_or_ask(update, context)
    draft = _draft(update, context)
    if program is None or draft is None:
        return await _lost(update, context, said=program is None)
    match announcement_text(typed_text(update)):
        case EmptyText():
            await send(update, context, announce_texts.ask_text(program.short_name))
        case TooLong() as too_long:
            await send(update, context, announce_texts.too_long(too_long))
        case str() as text:
            draft.text = text
            await send(update, context, announce_texts.ask_audience(program.short_name))
            raise ApplicationHandlerStop(AUDIENCE)
    raise ApplicationHandlerStop(TEXT)


async def got_audience(update: Update, context: FinalMileContext) -> int:
    """Everyone, or one school (asked next)."""
    action = await pressed(update, Audience)
    await remove_buttons(update)
    choice = action.choice if action else "cancel"
    if choice == "school":
        await send(update, context, announce_texts.ask_school(await _schools(update, context)))
        raise ApplicationHandlerStop(SCHOOL)
    draft = _draft(update, context)
    if choice not in ("all", "behind") or draft is None:
        return await _cancel(update, context)
    draft.school, draft.audience = None, choice
    return await _preview(update, context)


async def got_school(update: Update, context: FinalMileContext) -> int:
    school = clean_school(typed_text(update))
    draft = _draft(update, context)
    if draft is None:
        return await _lost(update, context)
    listed = await _schools(update, context)
    if school is None:
        await send(update, context, announce_texts.ask_school(listed))
        raise ApplicationHandlerStop(SCHOOL)
    draft.school, draft.audience = listed_as(school, listed), "school"
    return await _preview(update, context)


async def _schools(update: Update, context: FinalMileContext) -> tuple[str, ...]:
    """The chat's program's list of schools (a typed one is matched to it)."""
    program = await context.services.chats.program_of(chat_ids(update)[0])
    return await context.services.schools.of(program) if program else ()


async def typed_at_buttons(update: Update, context: FinalMileContext) -> None:
    """Text where only a button will do: say so, and keep waiting at this step."""
    await send(update, context, announce_texts.use_the_buttons())
    raise ApplicationHandlerStop  # no new state: the conversation stays where it is


async def _preview(update: Update, context: FinalMileContext) -> int:
    program = await program_or_ask(update, context)
    draft = _draft(update, context)
    if program is None or draft is None or draft.text is None:
        return await _lost(update, context, said=program is None)
    shown = await context.services.announcing.preview(program.slug, draft.text, draft.school,
                                                      draft.audience)
    await send(update, context, announce_texts.preview(shown))
    raise ApplicationHandlerStop(PREVIEW)


async def got_choice(update: Update, context: FinalMileContext) -> int:
    """Send now, ask when, or cancel."""
    action = await pressed(update, SendChoice)
    await remove_buttons(update)
    choice = action.choice if action else "cancel"
    program = await program_or_ask(update, context)
    if program is None or choice == "cancel":
        return await _cancel(update, context)
    if choice == "later":
        await send(update, context, announce_texts.ask_when(program.timezone))
        raise ApplicationHandlerStop(WHEN)
    return await _schedule(update, context, program, None)


async def got_when(update: Update, context: FinalMileContext) -> int:
    program = await program_or_ask(update, context)
    if program is None:
        return await _lost(update, context, said=True)
    match context.services.announcing.when(program, typed_text(update)):
        case BadTime():
            await send(update, context, announce_texts.bad_when())
            raise ApplicationHandlerStop(WHEN)
        case dt.datetime() as when:
            return await _schedule(update, context, program, when)


async def _schedule(update: Update, context: FinalMileContext, program: Program,
                    when: dt.datetime | None) -> int:
    draft = _draft(update, context)
    if draft is None or draft.text is None:
        return await _lost(update, context)
    chat_id, _ = chat_ids(update)
    # Checked again as it goes out: the chat may have switched program since /announce.
    if draft.program != program.slug or not await context.services.announcing.may_announce(
            user_id(update), program.slug):
        return await end_flow(update, context, _forget, announce_texts.program_changed())
    scheduled = await context.services.announcing.schedule(
        program.slug, draft.text, when, draft.school, created_by=chat_id,
        audience=draft.audience)
    return await end_flow(update, context, _forget, announce_texts.queued(scheduled))


async def list_scheduled(update: Update, context: FinalMileContext) -> None:
    """List scheduled announcements with cancel buttons (organizers only)."""
    chat_id, _ = chat_ids(update)
    match await context.services.announcing.listing(user_id(update), chat_id):
        case NotAnOrganizer():
            await send(update, context, announce_texts.not_an_organizer())
        case NoProgram():
            await send(update, context, faq_texts.pick_program(context.services.programs))
        case Listing() as listing:
            await send(update, context, announce_texts.scheduled_list(listing))


async def cancel_pressed(update: Update, context: FinalMileContext) -> None:
    """Cancel the scheduled announcement whose button was pressed (organizers only)."""
    action = await pressed(update, CancelAnnouncement)
    result = await context.services.announcing.cancel(
        user_id(update), action.announcement_id if action else None, chat_ids(update)[0])
    await send(update, context, announce_texts.cancelling(result))


def conversation() -> ConversationHandler[FinalMileContext]:
    """/announce, per chat and per user. ✏️ on /kids (renaming a child), and /review's ✏️ Edit
    or 📝 Write a new entry, leave it."""
    return guided_conversation(
        "announce",
        entry_points=[CommandHandler("announce", announce)],
        states={
            TEXT: [MessageHandler(TYPED, got_text)],
            AUDIENCE: [CallbackQueryHandler(got_audience, pattern=Audience.pattern()),
                       MessageHandler(TYPED, typed_at_buttons)],
            SCHOOL: [MessageHandler(TYPED, got_school)],
            PREVIEW: [CallbackQueryHandler(got_choice, pattern=SendChoice.pattern()),
                      MessageHandler(TYPED, typed_at_buttons)],
            WHEN: [MessageHandler(TYPED, got_when)],
        },
        forget=_forget, cancelled=announce_texts.cancelled, timeout=TIMEOUT,
        left_for=(RenameKid, WriteReview))
