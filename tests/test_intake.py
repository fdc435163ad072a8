"""The intake finds an update's chat from its JSON, without decoding the common kinds: it
must agree with python-telegram-bot's own reading of every kind."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bot.intake import chat_key

USER = {"id": 7, "is_bot": False, "first_name": "P"}
GROUP = {"id": -100, "type": "group", "title": "Club"}
PRIVATE = {"id": 7, "type": "private", "first_name": "P"}


def _message(chat: dict[str, Any]) -> dict[str, Any]:
    return {"message_id": 1, "date": 0, "chat": chat, "from": USER, "text": "ran a mile"}


PAYLOADS = {
    "a message in a private chat": {"message": _message(PRIVATE)},
    "a message in a group": {"message": _message(GROUP)},
    "an edited message": {"edited_message": _message(GROUP)},
    "a button under a message": {"callback_query": {
        "id": "q", "from": USER, "chat_instance": "c", "data": "x", "message": _message(GROUP)}},
    "a button under an inline message": {"callback_query": {
        "id": "q", "from": USER, "chat_instance": "c", "data": "x", "inline_message_id": "i"}},
    "the bot added to a group": {"my_chat_member": {
        "chat": GROUP, "from": USER, "date": 0,
        "old_chat_member": {"status": "left", "user": USER},
        "new_chat_member": {"status": "member", "user": USER}}},
    "a poll answer": {"poll_answer": {"poll_id": "p", "user": USER, "option_ids": [0],
                                      "option_persistent_ids": ["a"]}},
    "a channel post": {"channel_post": {"message_id": 1, "date": 0, "text": "hi",
                                        "chat": {"id": -200, "type": "channel"}}},
}


@pytest.mark.parametrize("kind", PAYLOADS)
def test_an_updates_chat_is_the_one_telegram_means(kind: str) -> None:
    payload = {"update_id": 1, **PAYLOADS[kind]}
    update = Update.de_json(payload, None)
    expected = (update.effective_chat.id if update.effective_chat is not None
                else update.effective_user.id if update.effective_user is not None else 0)
    assert chat_key(payload) == expected
