"""/addkid (a short guided conversation), /kids, and renaming or removing a child.

The conversation runs in its own handler group before all others. A step that takes the
message stops it there (ApplicationHandlerStop); a message that is clearly something else (a
command, a question, miles) ends the conversation and goes on to the usual handlers, so a
parent who walks away from /addkid is never stuck in it.
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

from bot.callbacks import ConfirmRemoveKid, Grade, KeepKid, RemoveKid, RenameKid, School
from bot.context import FinalMileContext
from bot.domain.kids import NameProblem, clean_school, parse_grade, parse_name
from bot.handlers.common import (
    chat_draft,
    chat_ids,
    guided_conversation,
    pressed,
    remove_buttons,
    send,
)
from bot.texts import faq as replies
from bot.texts import kids as kid_replies
from storage.families import ChildRecord

NAME, GRADE, SCHOOL, SCHOOL_TYPED, RENAME = range(5)
NEW_KID = "new_kid"
RENAMING = "renaming"
TIMEOUT = dt.timedelta(minutes=15)  # an abandoned /addkid stops catching the family's messages
TEXT = filters.TEXT & ~filters.COMMAND
NO_SCHOOL = frozenset({"skip", "none", "no", "n/a", "na", "-", "other", "dont know", "idk"})


def _draft(update: Update, context: FinalMileContext) -> dict:
    """This adult's child-in-progress in this chat."""
    return chat_draft(update, context, NEW_KID)


def _stay(state: int) -> ApplicationHandlerStop:
    """Go to `state`, and let no other handler see this update."""
    return ApplicationHandlerStop(state)


def _not_an_answer(text: str) -> bool:
    """A question, or more words than a name: the parent moved on to something else."""
    return "?" in text or len(text.split()) > 3


async def addkid(update: Update, context: FinalMileContext) -> int:
    """Start adding a child: ask the name (or take it from `/addkid Emma`)."""
    chat_id, _ = chat_ids(update)
    if await context.services.chats.program_of(chat_id) is None:
        await send(update, context, replies.pick_program(context.services.programs))
        raise _stay(ConversationHandler.END)
    _draft(update, context).clear()
    if context.args:
        return await _take_name(update, context, " ".join(context.args))
    await send(update, context, kid_replies.ask_name())
    raise _stay(NAME)


async def got_name(update: Update, context: FinalMileContext) -> int:
    """Take the typed name, then ask the grade."""
    text = update.effective_message.text or ""
    if isinstance(parse_name(text), NameProblem) and _not_an_answer(text):
        _draft(update, context).clear()
        return ConversationHandler.END  # not a name: the usual handlers take it
    return await _take_name(update, context, text)


async def _take_name(update: Update, context: FinalMileContext, text: str) -> int:
    parsed = parse_name(text)
    if isinstance(parsed, NameProblem):
        await send(update, context, replies.Reply(parsed.reason))
        raise _stay(NAME)
    draft = _draft(update, context)
    draft["first_name"], draft["last_initial"] = parsed
    await send(update, context, kid_replies.ask_grade(parsed[0]))
    raise _stay(GRADE)


async def got_grade(update: Update, context: FinalMileContext) -> int:
    """Take the grade (button or typed), then ask the school."""
    query = update.callback_query
    if query:
        action = await pressed(update, Grade)
        text = action.grade if action else ""
    else:
        text = update.effective_message.text or ""
    grade = parse_grade(text)
    draft = _draft(update, context)
    if grade is None and not query and _not_an_answer(text):
        draft.clear()
        return ConversationHandler.END
    if grade is None or "first_name" not in draft:
        await send(update, context, kid_replies.bad_grade())
        raise _stay(GRADE)
    draft["grade"] = grade
    if query:
        await remove_buttons(update)
    chat_id, _ = chat_ids(update)
    program = await context.services.chats.program_of(chat_id)
    if program is None:
        raise _stay(ConversationHandler.END)
    await send(update, context, kid_replies.ask_school(draft["first_name"], program))
    raise _stay(SCHOOL)


async def school_pressed(update: Update, context: FinalMileContext) -> int:
    """A school button, "Other" or "Skip"."""
    action = await pressed(update, School)
    choice = action.choice if action else "skip"
    chat_id, _ = chat_ids(update)
    program = await context.services.chats.program_of(chat_id)
    if choice == "other":
        await remove_buttons(update)
        await send(update, context, kid_replies.type_school())
        raise _stay(SCHOOL_TYPED)
    school = None
    if choice.isdigit() and program and int(choice) < len(program.schools):
        school = program.schools[int(choice)]
    await remove_buttons(update)
    return await _save(update, context, school)


async def school_typed(update: Update, context: FinalMileContext) -> int:
    """The school's name, typed ("skip" or "none" for no school)."""
    text = update.effective_message.text or ""
    if text.strip().lower() in NO_SCHOOL:
        return await _save(update, context, None)
    if "?" in text or context.services.logbook.looks_like_miles(text):
        # Something else entirely: keep the child (without a school) and answer it as usual.
        await _save(update, context, None, stop=False)
        return ConversationHandler.END
    school = clean_school(text)
    if school is None:
        await send(update, context, kid_replies.type_school())
        raise _stay(SCHOOL_TYPED)
    return await _save(update, context, school)


async def _save(update: Update, context: FinalMileContext, school: str | None,
                stop: bool = True) -> int:
    draft = _draft(update, context)
    if not {"first_name", "grade"} <= draft.keys():
        await send(update, context, replies.stale_button())
        raise _stay(ConversationHandler.END)
    chat_id, kind = chat_ids(update)
    child = await context.services.kids.add(chat_id, kind, draft["first_name"],
                                            draft.get("last_initial"), draft["grade"], school)
    draft.clear()
    if isinstance(child, str):
        await send(update, context, kid_replies.not_added(child))
    else:
        await send(update, context, kid_replies.added(child))
    if stop:
        raise _stay(ConversationHandler.END)
    return ConversationHandler.END


async def cancel(update: Update, context: FinalMileContext) -> int:
    """Stop adding or renaming; nothing is saved."""
    _draft(update, context).clear()
    await send(update, context, kid_replies.cancelled())
    raise _stay(ConversationHandler.END)


async def leave(update: Update, context: FinalMileContext) -> int:
    """Another command: drop the unfinished child and let the command run as usual."""
    _draft(update, context).clear()
    return ConversationHandler.END


async def show_kids(update: Update, context: FinalMileContext) -> None:
    """List the family's children with rename and remove buttons."""
    chat_id, _ = chat_ids(update)
    await send(update, context, kid_replies.kid_list(await context.services.kids.current(chat_id)))


async def _own_child(update: Update, context: FinalMileContext, child_id: int
                     ) -> ChildRecord | None:
    chat_id, _ = chat_ids(update)
    children = await context.services.kids.current(chat_id)
    return next((c for c in children if c.id == child_id), None)


async def rename_pressed(update: Update, context: FinalMileContext) -> int:
    """Ask for the new name of the child whose ✏️ was pressed."""
    action = await pressed(update, RenameKid)
    child = await _own_child(update, context, action.child_id) if action else None
    if child is None:
        await send(update, context, kid_replies.gone())
        raise _stay(ConversationHandler.END)
    _draft(update, context)[RENAMING] = child.id
    await send(update, context, kid_replies.ask_new_name(child))
    raise _stay(RENAME)


async def got_new_name(update: Update, context: FinalMileContext) -> int:
    """Rename the child to the typed name."""
    text = update.effective_message.text or ""
    parsed = parse_name(text)
    if isinstance(parsed, NameProblem):
        if _not_an_answer(text):
            _draft(update, context).clear()
            return ConversationHandler.END
        await send(update, context, replies.Reply(parsed.reason))
        raise _stay(RENAME)
    chat_id, _ = chat_ids(update)
    child_id = _draft(update, context).pop(RENAMING, None)
    child = await context.services.kids.rename(chat_id, child_id, *parsed) if child_id else None
    if isinstance(child, str):
        await send(update, context, kid_replies.not_renamed(child))
    else:
        await send(update, context, kid_replies.renamed(child) if child else kid_replies.gone())
    raise _stay(ConversationHandler.END)


async def remove_pressed(update: Update, context: FinalMileContext) -> None:
    """🗑 asks first."""
    action = await pressed(update, RemoveKid)
    await remove_buttons(update)
    child = await _own_child(update, context, action.child_id) if action else None
    if child is None:
        await send(update, context, kid_replies.gone())
    else:
        await send(update, context, kid_replies.confirm_remove(child))


async def remove_confirmed(update: Update, context: FinalMileContext) -> None:
    """ "Yes, remove" removes the child."""
    action = await pressed(update, ConfirmRemoveKid)
    await remove_buttons(update)
    chat_id, _ = chat_ids(update)
    done = await context.services.kids.remove(chat_id, action.child_id) if action else None
    await send(update, context, kid_replies.removed(done) if done else kid_replies.gone())


async def keep_pressed(update: Update, context: FinalMileContext) -> None:
    """ "No, keep": nothing is removed."""
    await pressed(update, KeepKid)
    await remove_buttons(update)
    await send(update, context, kid_replies.kept())


def conversation() -> ConversationHandler:
    """/addkid and renaming, per chat and per user (in a family group each adult has their own)."""
    return guided_conversation(
        "kids",
        entry_points=[CommandHandler("addkid", addkid),
                      CallbackQueryHandler(rename_pressed, pattern=RenameKid.pattern())],
        states={
            NAME: [MessageHandler(TEXT, got_name)],
            GRADE: [CallbackQueryHandler(got_grade, pattern=Grade.pattern()),
                    MessageHandler(TEXT, got_grade)],
            SCHOOL: [CallbackQueryHandler(school_pressed, pattern=School.pattern()),
                     MessageHandler(TEXT, school_typed)],
            SCHOOL_TYPED: [MessageHandler(TEXT, school_typed)],
            RENAME: [MessageHandler(TEXT, got_new_name)],
        },
        cancel=cancel, leave=leave, timeout=TIMEOUT)
