"""The /addkid conversation (name, grade, school) and renaming a child (✏️ on /kids).

It runs in its own handler group before the usual handlers (bot/handlers/__init__.py). A step
that takes the message stops it there (ApplicationHandlerStop); a message that is clearly
something else (a command, a question, miles) ends the conversation and goes on to the usual
handlers, so a parent who walks away from /addkid is never stuck in it. /addkid again starts
over; /cancel or "cancel" typed stops it (bot.handlers.common.guided_conversation). In a chat
without a program, /addkid asks the program first and waits for its button (PROGRAM): the
press joins the program and goes on adding the child, instead of group 0's program_chosen.
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

from bot.callbacks import ChooseProgram, Grade, RenameKid, School, WriteReview
from bot.context import FinalMileContext, NewKid, Renaming
from bot.domain.kids import (
    AtSchool,
    Gone,
    NameProblem,
    NoSchool,
    NotAGrade,
    NotAnAnswer,
    NotASchool,
    OtherSchool,
    parse_name,
    read_grade,
    read_name,
    school_chosen,
)
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
)
from bot.handlers.start import join_pressed
from bot.texts import faq as faq_texts
from bot.texts import kids as kids_texts

NAME, GRADE, SCHOOL, SCHOOL_TYPED, RENAME, PROGRAM = range(6)
TIMEOUT = dt.timedelta(minutes=15)  # an abandoned /addkid stops catching the family's messages
TEXT = filters.TEXT & ~filters.COMMAND


def _stay(state: int) -> ApplicationHandlerStop:
    """Go to `state`, and let no other handler see this update."""
    return ApplicationHandlerStop(state)


def _new_kid(update: Update, context: FinalMileContext) -> NewKid | None:
    """The child being added in this chat, if a /addkid is open."""
    draft = context.drafts.kids.get(chat_ids(update)[0])
    return draft if isinstance(draft, NewKid) else None


def _forget(update: Update, context: FinalMileContext) -> None:
    context.drafts.kids.pop(chat_ids(update)[0], None)


def _pass_on(update: Update, context: FinalMileContext) -> int:
    """Not an answer: drop the draft, and let the usual handlers take the message."""
    _forget(update, context)
    return ConversationHandler.END


async def _lost(update: Update, context: FinalMileContext) -> int:
    """A step without the answers before it: say so rather than guess."""
    return await end_flow(update, context, _forget, kids_texts.lost_track())


async def addkid(update: Update, context: FinalMileContext) -> int:
    """Start adding a child (again, if one was halfway): ask the name, or take `/addkid Emma`.
    A chat without a program chooses it first (`/addkid Emma` keeps the name meanwhile)."""
    chat_id, _ = chat_ids(update)
    restarted = _new_kid(update, context) is not None
    _forget(update, context)
    context.drafts.kids[chat_id] = NewKid()
    if await context.services.chats.program_of(chat_id) is None:
        named = parse_name(" ".join(context.args)) if context.args else None
        if isinstance(named, tuple):
            context.drafts.kids[chat_id] = NewKid(*named)
        await send(update, context, faq_texts.pick_program(context.services.programs))
        raise _stay(PROGRAM)
    if context.args:
        return await _take_name(update, context, parse_name(" ".join(context.args)))
    await send(update, context, kids_texts.ask_name(restarted))
    raise _stay(NAME)


async def program_pressed(update: Update, context: FinalMileContext) -> int:
    """The program button after /addkid: join the program, then ask the child's name (or,
    when it was typed already, the grade)."""
    program = await join_pressed(update, context, adding=True)
    draft = _new_kid(update, context)
    if draft is None:
        return await _lost(update, context)
    if program is None:  # a stale button: the others on the picker still work
        raise _stay(PROGRAM)
    if draft.first_name is None:
        await send(update, context, kids_texts.ask_name())
        raise _stay(NAME)
    await send(update, context, kids_texts.ask_grade(draft.first_name))
    raise _stay(GRADE)


async def name_before_program(update: Update, context: FinalMileContext) -> int | None:
    """A name typed while the program buttons wait is the child's (the program still comes
    first). Anything else (a question, miles) goes on to the usual handlers; the flow waits.
    Once another adult of a group chose the program, this is the name step."""
    text = typed_text(update)
    if await context.services.chats.program_of(chat_ids(update)[0]) is not None:
        return await got_name(update, context)
    parsed = context.services.kids.read_waiting_name(text)
    if isinstance(parsed, NotAnAnswer):
        return None  # the state stays PROGRAM
    context.drafts.kids[chat_ids(update)[0]] = NewKid(*parsed)
    await send(update, context, kids_texts.program_first(parsed[0], context.services.programs))
    raise _stay(PROGRAM)


async def got_name(update: Update, context: FinalMileContext) -> int:
    """Take the typed name, then ask the grade."""
    name = read_name(typed_text(update))
    if isinstance(name, NotAnAnswer):
        return _pass_on(update, context)
    return await _take_name(update, context, name)


async def _take_name(update: Update, context: FinalMileContext,
                     name: tuple[str, str | None] | NameProblem) -> int:
    if isinstance(name, NameProblem):
        await send(update, context, kids_texts.name_problem(name))
        raise _stay(NAME)
    context.drafts.kids[chat_ids(update)[0]] = NewKid(*name)
    await send(update, context, kids_texts.ask_grade(name[0]))
    raise _stay(GRADE)


async def got_grade(update: Update, context: FinalMileContext) -> int:
    """Take the grade (button or typed), then ask the school."""
    query = update.callback_query
    if query:
        action = await pressed(update, Grade)
        grade = read_grade(action.grade if action else "", typed=False)
    else:
        grade = read_grade(typed_text(update))
    if isinstance(grade, NotAnAnswer):
        return _pass_on(update, context)
    draft = _new_kid(update, context)
    if draft is None or draft.first_name is None:
        return await _lost(update, context)
    if isinstance(grade, NotAGrade):
        await send(update, context, kids_texts.bad_grade())
        raise _stay(GRADE)
    draft.grade = grade
    if query:
        await remove_buttons(update)
    program = await program_or_ask(update, context)
    if program is None:
        _forget(update, context)
        raise _stay(ConversationHandler.END)
    await send(update, context, kids_texts.ask_school(
        draft.first_name, await context.services.schools.of(program)))
    raise _stay(SCHOOL)


async def school_pressed(update: Update, context: FinalMileContext) -> int:
    """A school button, "Other" or "Skip"."""
    action = await pressed(update, School)
    chat_id, _ = chat_ids(update)
    program = await context.services.chats.program_of(chat_id)
    await remove_buttons(update)
    listed = await context.services.schools.of(program) if program else ()
    match school_chosen(listed, action.choice if action else ""):
        case OtherSchool():
            await send(update, context, kids_texts.type_school())
            raise _stay(SCHOOL_TYPED)
        case AtSchool(name=school):
            return await _save(update, context, school)
        case NoSchool():
            return await _save(update, context, None)


async def school_typed(update: Update, context: FinalMileContext) -> int:
    """The school's name, typed ("skip" or "none" for no school)."""
    match context.services.kids.read_school(typed_text(update)):
        case AtSchool(name=school):  # as the program's list has it, when it is on it
            chat_id, _ = chat_ids(update)
            program = await context.services.chats.program_of(chat_id)
            listed = await context.services.schools.of(program) if program else ()
            return await _save(update, context, listed_as(school, listed))
        case NoSchool():
            return await _save(update, context, None)
        case NotASchool():
            await send(update, context, kids_texts.type_school())
            raise _stay(SCHOOL_TYPED)
        case NotAnAnswer():
            # Something else entirely: keep the child (without a school) and answer it as usual.
            await _save(update, context, None, stop=False)
            return ConversationHandler.END


async def _save(update: Update, context: FinalMileContext, school: str | None,
                stop: bool = True) -> int:
    draft = _new_kid(update, context)
    if draft is None or draft.first_name is None or draft.grade is None:
        return await _lost(update, context)
    _forget(update, context)
    chat_id, kind = chat_ids(update)
    result = await context.services.kids.add(chat_id, kind, draft.first_name,
                                             draft.last_initial, draft.grade, school)
    await send(update, context, kids_texts.adding(result))
    if stop:
        raise _stay(ConversationHandler.END)
    return ConversationHandler.END


async def rename_pressed(update: Update, context: FinalMileContext) -> int:
    """Ask for the new name of the child whose ✏️ was pressed."""
    action = await pressed(update, RenameKid)
    chat_id, _ = chat_ids(update)
    child = await context.services.kids.child(chat_id, action.child_id) if action else Gone()
    _forget(update, context)
    if isinstance(child, Gone):
        await send(update, context, kids_texts.gone())
        raise _stay(ConversationHandler.END)
    context.drafts.kids[chat_id] = Renaming(child.id)
    await send(update, context, kids_texts.ask_new_name(child))
    raise _stay(RENAME)


async def got_new_name(update: Update, context: FinalMileContext) -> int:
    """Rename the child to the typed name."""
    name = read_name(typed_text(update))
    if isinstance(name, NotAnAnswer):
        return _pass_on(update, context)
    if isinstance(name, NameProblem):
        await send(update, context, kids_texts.name_problem(name))
        raise _stay(RENAME)
    chat_id, _ = chat_ids(update)
    draft = context.drafts.kids.pop(chat_id, None)
    result = (await context.services.kids.rename(chat_id, draft.child_id, *name)
              if isinstance(draft, Renaming) else Gone())
    await send(update, context, kids_texts.renaming(result))
    raise _stay(ConversationHandler.END)


def conversation() -> ConversationHandler[FinalMileContext]:
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
            PROGRAM: [CallbackQueryHandler(program_pressed, pattern=ChooseProgram.pattern()),
                      MessageHandler(TEXT, name_before_program)],
        },
        forget=_forget, cancelled=kids_texts.cancelled, timeout=TIMEOUT,
        left_for=(WriteReview,))  # /review's typed steps
