"""A chat with the bot in the terminal, for anyone without a Telegram bot token.

The real Application and handlers run unchanged: typed lines become Telegram updates, and the
Bot API calls the handlers make (sendMessage, editMessageText, ...) are answered here and
printed instead of going to Telegram. Buttons are numbered; typing the number presses one.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

from bot.runtime import running, runtime_of

BOT_USER = {"id": 1, "is_bot": True, "first_name": "Final Mile", "username": "FinalMileBot",
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False}
CONSOLE_USER = {"id": 1000, "is_bot": False, "first_name": "Parent"}
CONSOLE_CHAT = {"id": 1000, "type": "private", "first_name": "Parent"}


@dataclass
class ConsoleButton:
    label: str
    data: str
    message: dict[str, Any]


@dataclass
class ConsoleRequest(BaseRequest):
    """Answers the bot's Bot API calls locally and prints what a Telegram user would see."""

    out: Callable[[str], None] = print
    buttons: list[ConsoleButton] = field(default_factory=list)
    pictures: Path = field(default_factory=lambda: Path("finalmile-pictures"))
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _picture_ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float | None:
        return None

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None,
                         connect_timeout: Any = None, pool_timeout: Any = None,
                         ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        if name == "sendPhoto" and request_data is not None:
            params = {**params, "caption": self._save_picture(request_data, params)}
        result = self._answer(name, params)
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _answer(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return BOT_USER
        if name == "getMyCommands":
            return []
        if name in ("sendMessage", "sendPhoto"):
            message = self._message(params, next(self._ids))
            self._show(message, "")
            return message
        if name == "editMessageText":
            message = self._message(params, int(params.get("message_id", 0)))
            self._show(message, "(updated) ")
            return message
        if name == "editMessageReplyMarkup":
            message_id = int(params.get("message_id", 0))
            self.buttons = [b for b in self.buttons if b.message["message_id"] != message_id]
            return True
        if name == "answerCallbackQuery" and params.get("text"):
            self.out(f"  ({params['text']})")
        return True

    def _save_picture(self, request_data: RequestData, params: dict[str, Any]) -> str:
        """Save a photo the bot sends as a PNG file and say where: a terminal can't show it."""
        self.pictures.mkdir(parents=True, exist_ok=True)
        path = self.pictures / f"picture-{next(self._picture_ids)}.png"
        for content in request_data.multipart_data.values():
            data = content[1]  # (file name, contents[, mime type])
            if isinstance(data, bytes):
                path.write_bytes(data)
                break
        return f"[picture: {path}]\n{params.get('caption', '')}"

    def _message(self, params: dict[str, Any], message_id: int) -> dict[str, Any]:
        message = {"message_id": message_id, "date": int(time.time()), "chat": CONSOLE_CHAT,
                   "from": BOT_USER, "text": params.get("text") or params.get("caption", "")}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _show(self, message: dict[str, Any], prefix: str) -> None:
        self.out(f"\nbot> {prefix}{message['text']}")
        keyboard = (message.get("reply_markup") or {}).get("inline_keyboard", [])
        self.buttons = [ConsoleButton(b["text"], b.get("callback_data", ""), message)
                        for row in keyboard for b in row]
        for number, button in enumerate(self.buttons, start=1):
            self.out(f"   [{number}] {button.label}")


class ConsoleChat:
    """Turns typed lines into updates for the Application."""

    def __init__(self, app: Application, request: ConsoleRequest) -> None:
        self.app = app
        self.request = request
        self._update_ids = itertools.count(1)

    def update_for(self, line: str) -> dict[str, Any]:
        text = line.strip()
        button = self._button_for(text)
        if button is not None:
            data = {"update_id": next(self._update_ids), "callback_query": {
                "id": str(next(self._update_ids)), "from": CONSOLE_USER, "chat_instance": "1",
                "data": button.data, "message": button.message}}
        else:
            message = {"message_id": next(self._update_ids) + 100_000,
                       "date": int(time.time()), "chat": CONSOLE_CHAT, "from": CONSOLE_USER,
                       "text": text}
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0,
                                        "length": len(text.split()[0])}]
            data = {"update_id": next(self._update_ids), "message": message}
        return data

    def _button_for(self, text: str) -> ConsoleButton | None:
        """The button typed: its label ("2" on a grade button), else its number."""
        buttons = self.request.buttons
        by_label = [b for b in buttons if b.label.lower() == text.lower()]
        if by_label:
            return by_label[0]
        if text.isdigit() and 1 <= int(text) <= len(buttons):
            return buttons[int(text) - 1]
        return None

    async def say(self, line: str) -> None:
        """Send a line as Telegram would (stored, then handled) and wait for the answer."""
        runtime = runtime_of(self.app)
        await runtime.intake.receive([self.update_for(line)])
        await runtime.loop.until_idle()


async def run_console(app: Application, request: ConsoleRequest,
                      read: Callable[[str], str] = input) -> None:
    """Chat until /quit or end of input."""
    chat = ConsoleChat(app, request)
    request.out("Final Mile console chat. Type a question; type a number to press a button; "
                "/quit to leave.")
    async with running(app):
        await chat.say("/start")
        while True:
            try:
                line = await asyncio.to_thread(read, "\nyou> ")
            except (EOFError, KeyboardInterrupt):
                break
            if line.strip().lower() in ("/quit", "/exit", "quit", "exit"):
                break
            if line.strip():
                await chat.say(line)
    request.out("\nBye! Happy running! 🏃")
