"""The /review steps that take typing, as one guided conversation (kept in the database like
/announce): ✏️ Edit asks for the wording, then accepts it; 📝 Write a new entry asks for the
question, the answer and the topic (a button, or typed), shows it, and adds it on ✓.

Organizers only: the press that starts a step is checked, and the use case checks again.
"""

from __future__ import annotations

import datetime as dt

from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import (
    AttachEntry,
    AttachGroup,
    AttachTopic,
    DecideCandidate,
    DismissGroup,
    EntryTopic,
    RenameKid,
    SaveEntry,
    WriteReview,
)
from bot.context import FinalMileContext, ReviewDraft
from bot.domain.learned_wordings import MAX_ANSWER, MAX_TEXT, MAX_TOPIC, one_line
from bot.domain.learning import Gone, Incomplete, NotAnOrganizerHere
from bot.handlers.common import (
    alert,
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
from bot.texts import review as review_texts

EDIT, QUESTION, ANSWER, TOPIC, CONFIRM = range(30, 35)
TIMEOUT = dt.timedelta(minutes=30)
TYPED = filters.TEXT & ~filters.COMMAND
# Presses that leave this conversation for their own handler: another review button, or
# ✏️ on /kids (renaming a child starts /addkid's conversation).
LEAVES_FOR = (DecideCandidate, AttachGroup, AttachTopic, AttachEntry, DismissGroup, RenameKid)


def _draft(update: Update, context: FinalMileContext) -> ReviewDraft | None:
    return context.drafts.reviews.get(chat_ids(update)[0])


def _forget(update: Update, context: FinalMileContext) -> None:
    context.drafts.reviews.pop(chat_ids(update)[0], None)


async def _lost(update: Update, context: FinalMileContext) -> int:
    return await end_flow(update, context, _forget, review_texts.lost_track())


async def write_pressed(update: Update, context: FinalMileContext) -> int:
    """✏️ Edit: ask for the wording. 📝 Write a new entry: ask for its question. Either quotes
    what it is about, as the review has it now (a candidate decided meanwhile: said so)."""
    action = await pressed(update, WriteReview)
    program = await program_or_ask(update, context)
    if action is None or program is None or action.kind not in ("edit", "new"):
        raise ApplicationHandlerStop(ConversationHandler.END)
    review = await context.services.learning.review(program.slug, user_id(update))
    if isinstance(review, NotAnOrganizerHere):
        await send(update, context, review_texts.not_an_organizer())
        raise ApplicationHandlerStop(ConversationHandler.END)
    before = _draft(update, context)
    chat_id = chat_ids(update)[0]
    if action.kind == "edit":
        candidate = next((c for c in review.candidates if c.id == action.key), None)
        if candidate is None:
            await alert(update, review_texts.failed(Gone()).text)
            raise ApplicationHandlerStop(ConversationHandler.END)
        context.drafts.reviews[chat_id] = ReviewDraft(program.slug, candidate_id=candidate.id)
        await send(update, context, review_texts.ask_edit(candidate.text))
        return EDIT  # no stop: a flow open in a later group hears the press and ends
    group = next((g for g in review.groups if g.key == action.key), None)
    context.drafts.reviews[chat_id] = ReviewDraft(program.slug, group_key=action.key or None)
    restarted = before is not None and before.candidate_id is None  # an entry half written
    await send(update, context, review_texts.ask_question(restarted, group.text if group else None))
    return QUESTION


async def got_wording(update: Update, context: FinalMileContext) -> int:
    """Accept the candidate as typed; a wording that can't be used is asked for again."""
    draft = _draft(update, context)
    if draft is None or draft.candidate_id is None:
        return await _lost(update, context)
    services = context.services
    result = await services.learning.accept(draft.program, user_id(update), draft.candidate_id,
                                            typed_text(update))
    if isinstance(result, Incomplete):
        await send(update, context, review_texts.too_long_or_empty("text"))
        raise ApplicationHandlerStop(EDIT)
    return await end_flow(update, context, _forget, review_texts.accepted(
        result, await services.faq.kb(draft.program)))


async def got_question(update: Update, context: FinalMileContext) -> int:
    draft = _draft(update, context)
    if draft is None:
        return await _lost(update, context)
    draft.question = one_line(typed_text(update), MAX_TEXT)
    if draft.question is None:
        await send(update, context, review_texts.too_long_or_empty("question"))
        raise ApplicationHandlerStop(QUESTION)
    await send(update, context, review_texts.ask_answer(draft.question))
    raise ApplicationHandlerStop(ANSWER)


async def got_answer(update: Update, context: FinalMileContext) -> int:
    draft = _draft(update, context)
    kb = await context.services.faq.kb(draft.program) if draft else None
    if draft is None or kb is None:
        return await _lost(update, context)
    draft.answer = one_line(typed_text(update), MAX_ANSWER)
    if draft.answer is None:
        await send(update, context, review_texts.too_long_or_empty("answer"))
        raise ApplicationHandlerStop(ANSWER)
    await send(update, context, review_texts.ask_topic(kb))
    raise ApplicationHandlerStop(TOPIC)


async def topic_pressed(update: Update, context: FinalMileContext) -> int:
    """One of the FAQ's topics."""
    action = await pressed(update, EntryTopic)
    draft = _draft(update, context)
    kb = await context.services.faq.kb(draft.program) if draft else None
    if draft is None or kb is None:
        return await _lost(update, context)
    if action is None or action.index >= len(kb.topics):
        await send(update, context, review_texts.ask_topic(kb))
        raise ApplicationHandlerStop(TOPIC)
    await remove_buttons(update)
    return await _preview(update, context, draft, kb.topics[action.index])


async def got_topic(update: Update, context: FinalMileContext) -> int:
    """A topic typed: a new one (or an existing one, as the FAQ spells it, when it is)."""
    draft = _draft(update, context)
    if draft is None:
        return await _lost(update, context)
    topic = one_line(typed_text(update), MAX_TOPIC)
    if topic is None:
        await send(update, context, review_texts.too_long_or_empty("topic"))
        raise ApplicationHandlerStop(TOPIC)
    return await _preview(update, context, draft, topic)


async def _preview(update: Update, context: FinalMileContext, draft: ReviewDraft, topic: str
                   ) -> int:
    if draft.question is None or draft.answer is None:
        return await _lost(update, context)
    draft.topic = topic
    await send(update, context, review_texts.entry_preview(topic, draft.question, draft.answer))
    raise ApplicationHandlerStop(CONFIRM)


async def save_pressed(update: Update, context: FinalMileContext) -> int:
    """✓ Add it, or ✗ Cancel."""
    action = await pressed(update, SaveEntry)
    await remove_buttons(update)
    draft = _draft(update, context)
    if action is None or action.choice != "yes":
        return await end_flow(update, context, _forget, review_texts.cancelled())
    if draft is None or None in (draft.topic, draft.question, draft.answer):
        return await _lost(update, context)
    program = context.services.programs.get(draft.program)
    if program is None:
        return await _lost(update, context)
    result = await context.services.learning.add_entry(
        draft.program, user_id(update), str(draft.topic), str(draft.question),
        str(draft.answer), from_group=draft.group_key)
    return await end_flow(update, context, _forget,
                          review_texts.entry_added(result, program.short_name))


async def typed_at_buttons(update: Update, context: FinalMileContext) -> None:
    await send(update, context, review_texts.use_the_buttons())
    raise ApplicationHandlerStop  # no new state: the conversation stays where it is


def conversation() -> ConversationHandler[FinalMileContext]:
    """Editing a wording or writing an entry, per chat and per user."""
    return guided_conversation(
        "review",
        entry_points=[CallbackQueryHandler(write_pressed, pattern=WriteReview.pattern())],
        states={
            EDIT: [MessageHandler(TYPED, got_wording)],
            QUESTION: [MessageHandler(TYPED, got_question)],
            ANSWER: [MessageHandler(TYPED, got_answer)],
            TOPIC: [CallbackQueryHandler(topic_pressed, pattern=EntryTopic.pattern()),
                    MessageHandler(TYPED, got_topic)],
            CONFIRM: [CallbackQueryHandler(save_pressed, pattern=SaveEntry.pattern()),
                      MessageHandler(TYPED, typed_at_buttons)],
        },
        forget=_forget, cancelled=review_texts.cancelled, timeout=TIMEOUT, left_for=LEAVES_FOR)
