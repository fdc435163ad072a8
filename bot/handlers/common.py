"""Turning a `Reply` into a Telegram message, shared by all handlers."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import (
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import ButtonData
from bot.context import FinalMileContext, TypedLabel, fold
from bot.domain.programs import Program
from bot.keyboards import keyboard
from bot.outgoing import CURRENT
from bot.texts import faq as faq_texts
from bot.texts.conversations import CANCEL_WORDS, remembered
from bot.texts.reply import CAPTION_LIMIT, TEXT_LIMIT, Reply, fit

A = TypeVar("A", bound=ButtonData)
Callback = Callable[[Update, FinalMileContext], Coroutine[Any, Any, Any]]
Forget = Callable[[Update, FinalMileContext], None]  # drops a flow's draft for this chat
Handler = BaseHandler[Any, FinalMileContext, Any]
StateHandlers = dict[object, list[Handler]]


def markup(reply: Reply) -> InlineKeyboardMarkup | None:
    return keyboard([[(b.label, b.data.pack()) for b in row] for row in reply.buttons])


async def answer_press(update: Update) -> None:
    """Stop the spinner Telegram shows on a pressed button (after the commit, when the
    handling loop handles the update)."""
    query = update.callback_query
    if query is None:
        return
    outgoing = CURRENT.get()
    if outgoing is not None:
        outgoing.answer(query.id)
    else:
        await query.answer()


async def alert(update: Update, text: str) -> None:
    """Answer the button press with a pop-up, for an answer that must not leave a message
    behind in the chat (after /forget erased it)."""
    query = update.callback_query
    if query is None:
        return
    outgoing = CURRENT.get()
    if outgoing is not None:
        outgoing.answer(query.id, text)
    else:
        await query.answer(text, show_alert=True)


async def pressed(update: Update, action: type[A]) -> A | None:
    """Answer the button press and read its action; None when the data is malformed or from
    another action."""
    query = update.callback_query
    if query is None:
        return None
    await answer_press(update)
    return action.unpack(query.data)


async def send(update: Update, context: FinalMileContext, reply: Reply) -> None:
    """Send a reply into the chat the update came from."""
    chat = update.effective_chat
    if chat is None:
        return
    outgoing = CURRENT.get()
    if outgoing is not None:
        outgoing.reply(reply)
        _remember_labels(context, reply)
        return
    context.services.delivery.note_reply()  # the outbox leaves room for replies
    if reply.photo is not None:
        await context.bot.send_photo(chat.id, reply.photo, caption=fit(reply.text, CAPTION_LIMIT),
                                     reply_markup=markup(reply))
    else:
        await context.bot.send_message(chat.id, fit(reply.text, TEXT_LIMIT),
                                       reply_markup=markup(reply))
    _remember_labels(context, reply)


def _remember_labels(context: FinalMileContext, reply: Reply) -> None:
    """Note the reply's buttons, so a label typed later is answered as a button."""
    if context.chat_data is not None:
        context.chat_data.remember([TypedLabel(b.label, b.data.prefix) for row in reply.buttons
                                    for b in row if remembered(b.data)])


def typed_text(update: Update) -> str:
    """The text of the message in this update ("" for none)."""
    message = update.effective_message
    return (message.text or "") if message is not None else ""


def after_command(update: Update) -> str:
    """What follows the command, its line breaks kept ("" for nothing): context.args would
    join the words with single spaces."""
    parts = typed_text(update).split(None, 1)
    return parts[1].strip() if len(parts) > 1 else ""


async def edit(update: Update, context: FinalMileContext, reply: Reply) -> None:
    """Replace the message a button was pressed on (its old buttons go away)."""
    query = update.callback_query
    if query is None:
        return
    outgoing = CURRENT.get()
    if outgoing is not None and query.message is not None:
        outgoing.edit(query.message.message_id, reply)
        _remember_labels(context, reply)
        return
    try:
        await query.edit_message_text(reply.text, reply_markup=markup(reply))
    except BadRequest as exc:
        if not _harmless(exc):
            raise
    _remember_labels(context, reply)  # its new buttons, as send() does


async def remove_buttons(update: Update) -> None:
    """Take the buttons off the message they were pressed on, so they can't be pressed twice."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    outgoing = CURRENT.get()
    if outgoing is not None:
        outgoing.edit(query.message.message_id, None)
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


def user_id(update: Update) -> int | None:
    """Who sent the update (None for a channel post or a service message)."""
    return update.effective_user.id if update.effective_user else None


def chat_ids(update: Update) -> tuple[int, str]:
    chat = update.effective_chat
    assert chat is not None  # handlers below only receive updates that have a chat
    return chat.id, chat.type


async def program_or_ask(update: Update, context: FinalMileContext) -> Program | None:
    """The chat's program; asks to choose one (and returns None) when there is none yet."""
    chat_id, _ = chat_ids(update)
    program = await context.services.chats.program_of(chat_id)
    if program is None:
        await send(update, context, faq_texts.pick_program(context.services.programs))
    return program


class _CancelWord(filters.MessageFilter):
    """ "cancel" or "stop", typed."""

    def filter(self, message: Message) -> bool:
        return message.text is not None and fold(message.text) in CANCEL_WORDS


CANCEL_TYPED = _CancelWord(name="CancelWord")


async def end_flow(update: Update, context: FinalMileContext, forget: Forget,
                   reply: Reply | None = None) -> int:
    """End a guided conversation at this step: drop its draft, say `reply` (None: a reply went
    out already), and let no other handler see this update."""
    forget(update, context)
    if reply is not None:
        await send(update, context, reply)
    raise ApplicationHandlerStop(ConversationHandler.END)


class Flow(ConversationHandler[FinalMileContext]):
    """A guided conversation whose steps can be read out and put back, so they are kept in
    the database between updates (bot/chat_state.py) instead of this process's memory.

    An abandoned flow ends after `timeout`: its step is simply not put back once older."""

    def __init__(self, *, timeout: dt.timedelta, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.timeout = timeout

    def steps_in(self, chat_id: int) -> dict[tuple[int | str, ...], object]:
        """The chat's open conversations (one per user): key -> step."""
        return {key: state for key, state in self._conversations.items()
                if key and key[0] == chat_id}

    def restore(self, steps: dict[tuple[int | str, ...], object]) -> None:
        self._conversations.update(steps)

    def forget_chat(self, chat_id: int) -> None:
        for key in self.steps_in(chat_id):
            del self._conversations[key]


def guided_conversation(name: str, entry_points: list[Handler], states: StateHandlers, *,
                        forget: Forget, cancelled: Callable[[], Reply], timeout: dt.timedelta,
                        left_for: tuple[type[ButtonData], ...] = ()
                        ) -> Flow:
    """A step-by-step conversation that survives real use.

    - Its own command again restarts it (`allow_reentry`): the entry point runs in any state.
    - /cancel, or "cancel" / "stop" typed at any step, ends it: `forget` drops its draft and
      the `cancelled` reply says so.
    - Any other command, or a button in `left_for` (another flow's start), drops the draft and
      goes on to its usual handler; so does a timeout, silently.
    Buttons are tracked per chat and user, not per message, on purpose: the flows are linear
    and a press on an older message of the same flow is still meant.
    """
    async def cancel(update: Update, context: FinalMileContext) -> int:
        return await end_flow(update, context, forget, cancelled())

    async def leave(update: Update, context: FinalMileContext) -> int:
        forget(update, context)
        return ConversationHandler.END

    steps: StateHandlers = {state: [MessageHandler(CANCEL_TYPED, cancel), *handlers]
                            for state, handlers in states.items()}
    fallbacks: list[Handler] = [CommandHandler("cancel", cancel),
                                MessageHandler(filters.COMMAND, leave)]
    fallbacks += [CallbackQueryHandler(leave, pattern=action.pattern()) for action in left_for]
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="If 'per_message=False'")
        return Flow(entry_points=entry_points, states=steps, fallbacks=fallbacks,
                    allow_reentry=True, name=name, timeout=timeout)
