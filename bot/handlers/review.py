"""/review: organizers accept, reject, attach or dismiss what the FAQ learned, one tap each.
Editing a wording and writing a new entry take typing: bot/handlers/review_flow.py."""

from __future__ import annotations

from telegram import Update

from bot.callbacks import AttachEntry, AttachGroup, AttachTopic, DecideCandidate, DismissGroup
from bot.context import FinalMileContext
from bot.domain.learning import REVIEW, Gone, NotAnOrganizerHere
from bot.domain.programs import Program
from bot.handlers.common import alert, edit, pressed, program_or_ask, send, user_id
from bot.texts import common as common_texts
from bot.texts import review as review_texts
from bot.texts.reply import Reply


async def show_review(update: Update, context: FinalMileContext) -> None:
    """/review: a heading, then each candidate and each group with its buttons."""
    program = await program_or_ask(update, context)
    if program is None:
        return
    for reply in review_texts.review(
            await context.services.learning.review(program.slug, user_id(update))):
        await send(update, context, reply)


async def decide_pressed(update: Update, context: FinalMileContext) -> None:
    """✓ Accept (answered outright from now on) or ✗ Reject (not proposed again)."""
    action = await pressed(update, DecideCandidate)
    program = await program_or_ask(update, context)
    if action is None or program is None:
        return
    learning, who = context.services.learning, user_id(update)
    if action.choice == "ok":
        accepted = await learning.accept(program.slug, who, action.candidate_id)
        await _outcome(update, context, accepted, review_texts.accepted(
            accepted, await context.services.faq.kb(program.slug)))
    else:
        rejected = await learning.reject(program.slug, who, action.candidate_id)
        await _outcome(update, context, rejected, review_texts.rejected(rejected))


async def attach_pressed(update: Update, context: FinalMileContext) -> None:
    """📎 Attach to an entry: the topics, in a message of their own under the group."""
    action = await pressed(update, AttachGroup)
    program = await organizing(update, context)
    kb = await context.services.faq.kb(program.slug) if program else None
    if action is not None and kb is not None:
        await send(update, context, review_texts.attach_topics(kb, action.group_key))


async def attach_topic(update: Update, context: FinalMileContext) -> None:
    """A topic: its entries to choose from; « All topics: back to the topics."""
    action = await pressed(update, AttachTopic)
    program = await organizing(update, context)
    kb = await context.services.faq.kb(program.slug) if program else None
    if action is None or kb is None:
        return
    if action.index > len(kb.topics):
        await send(update, context, common_texts.stale_button())
    elif action.index == 0:
        await edit(update, context, review_texts.attach_topics(kb, action.group_key))
    else:
        await edit(update, context, review_texts.attach_entries(kb, action.group_key,
                                                                action.index))


async def attach_entry(update: Update, context: FinalMileContext) -> None:
    """An entry: the group's wording joins it, and its questions leave the review."""
    action = await pressed(update, AttachEntry)
    program = await program_or_ask(update, context)
    if action is None or program is None:
        return
    result = await context.services.learning.attach(program.slug, user_id(update),
                                                    action.group_key, action.entry_id)
    await _outcome(update, context, result,
                   review_texts.attached(result, await context.services.faq.kb(program.slug)))


async def dismiss_pressed(update: Update, context: FinalMileContext) -> None:
    """🗑 Dismiss: a group the FAQ should not answer leaves the review, without an entry."""
    action = await pressed(update, DismissGroup)
    program = await program_or_ask(update, context)
    if action is None or program is None:
        return
    result = await context.services.learning.dismiss(program.slug, user_id(update),
                                                     action.group_key)
    await _outcome(update, context, result, review_texts.dismissed(result))


async def organizing(update: Update, context: FinalMileContext) -> Program | None:
    """The chat's program when the sender organizes it; else says why not, and None."""
    program = await program_or_ask(update, context)
    if program is None:
        return None
    if not await context.services.staffing.may(user_id(update), REVIEW, program.slug):
        await send(update, context, review_texts.not_an_organizer())
        return None
    return program


async def _outcome(update: Update, context: FinalMileContext, result: object, reply: Reply
                   ) -> None:
    """The result replaces the message its button was on (one tap, and its buttons go). A
    refusal is a message of its own, leaving the organizer's message (in a family group, say)
    as it was; "dealt with already" (a double tap, another organizer) is a pop-up, leaving
    what the first tap said."""
    if isinstance(result, NotAnOrganizerHere):
        await send(update, context, reply)
    elif isinstance(result, Gone):
        await alert(update, reply.text)
    else:
        await edit(update, context, reply)
