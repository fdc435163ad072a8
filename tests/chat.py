"""Chatting with the bot through the fake Bot API as a parent would: say, press, read."""

from __future__ import annotations

from typing import Any

from tests.fake_bot_api import FakeBotApi

PARENT = 501


async def says(api: FakeBotApi, text: str, replies: int = 1, chat: int = PARENT, **kw: Any
               ) -> list[dict[str, Any]]:
    """Send a message and return the bot's new messages in this chat."""
    before = len(api.sent(chat))
    api.user_says(chat, text, **kw)
    return (await api.wait_for_messages(chat, before + replies))[before:]


async def presses(api: FakeBotApi, message: dict[str, Any], label: str, replies: int = 1,
                  chat: int = PARENT, user_id: int | None = None) -> list[dict[str, Any]]:
    """Press the button with this label on a message; return the bot's new messages."""
    before = len(api.sent(chat))
    api.user_presses(chat, message, label, user_id)
    return (await api.wait_for_messages(chat, before + replies))[before:]


def labels(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in message.get("reply_markup", {}).get("inline_keyboard", [])
            for b in row]


def text_of(message: dict[str, Any]) -> str:
    """What the parent reads: a message's text, or a photo's caption."""
    return message.get("text") or message.get("caption") or ""
