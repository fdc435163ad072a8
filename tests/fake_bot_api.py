"""A fake Telegram Bot API server on 127.0.0.1, for end-to-end tests of the real Application.

It speaks the Bot API's HTTP shape (POST /bot<token>/<method>, form or multipart bodies,
{"ok": ..., "result": ...} answers), hands out updates the test queues through getUpdates,
and records every call the bot makes so a test can read the conversation as a user would.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.httputil import parse_body_arguments
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

BOT_USER = {"id": 4242, "is_bot": True, "first_name": "Final Mile", "username": "FinalMileBot",
            "can_join_groups": True, "can_read_all_group_messages": False,
            "supports_inline_queries": False}
TEXT_LIMIT = 4096  # characters in a message's text: Telegram refuses a longer one outright
WAIT_SECONDS = 10.0  # how long a test waits for the bot's reply before failing
_TEXT_FIELDS = {"text", "caption", "callback_query_id", "data"}


@dataclass
class ApiError(Exception):
    """An error answer the fake gives instead of a result (429, 403, 500, ...)."""

    status: int
    description: str
    retry_after: int | None = None


@dataclass
class Call:
    method: str
    params: dict[str, Any]


@dataclass
class FakeBotApi:
    token: str = "4242:TEST-TOKEN"
    calls: list[Call] = field(default_factory=list)
    _updates: list[dict[str, Any]] = field(default_factory=list)
    _new_update: asyncio.Event = field(default_factory=asyncio.Event)
    _new_call: asyncio.Event = field(default_factory=asyncio.Event)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _server: HTTPServer | None = None
    _closing: bool = False
    failures: dict[int, list[ApiError]] = field(default_factory=dict)
    port: int = 0
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # scope -> menu
    webhook: dict[str, Any] = field(default_factory=lambda: {"url": ""})  # as setWebhook got
    refused: set[str] = field(default_factory=set)  # methods answered 401, as for a bad token
    send_delay: float = 0.0  # seconds each message sent (or edited) takes to be answered

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = Application([(r"/bot([^/]+)/(\w+)", _Handler, {"api": self})])
        sockets = bind_sockets(0, "127.0.0.1")
        self.port = sockets[0].getsockname()[1]
        self._server = HTTPServer(app)
        self._server.add_sockets(sockets)

    async def stop(self) -> None:
        self._closing = True
        self._new_update.set()  # release a pending long poll so it ends cleanly
        if self._server:
            self._server.stop()
            await self._server.close_all_connections()

    # --- what the test does: queue updates as a user would -----------------------------
    def user_says(self, chat_id: int, text: str, *, chat_type: str = "private",
                  user_id: int | None = None) -> None:
        message: dict[str, Any] = {
            "message_id": next(self._ids), "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, "first_name": "Parent"},
            "from": {"id": user_id or chat_id, "is_bot": False, "first_name": "Parent"},
            "text": text,
        }
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        self.push({"message": message})

    def user_edits(self, chat_id: int, text: str) -> None:
        """The user edits their last message to say `text` (Telegram sends edited_message)."""
        message: dict[str, Any] = {
            "message_id": next(self._ids), "date": int(time.time()),
            "edit_date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Parent"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Parent"}, "text": text}
        if text.startswith("/"):
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": len(text.split()[0])}]
        self.push({"edited_message": message})

    def user_sends(self, chat_id: int, **content: Any) -> None:
        """A non-text message (sticker, photo, voice...) with the given Bot API fields."""
        self.push({"message": {
            "message_id": next(self._ids), "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Parent"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Parent"}, **content}})

    def user_presses(self, chat_id: int, message: dict[str, Any], label: str,
                     user_id: int | None = None) -> None:
        data = next(b["callback_data"] for row in message["reply_markup"]["inline_keyboard"]
                    for b in row if b["text"] == label)
        self.user_presses_data(chat_id, message, data, user_id)

    def user_presses_data(self, chat_id: int, message: dict[str, Any], data: str,
                          user_id: int | None = None) -> None:
        self.push({"callback_query": {
            "id": str(next(self._ids)), "chat_instance": str(chat_id), "data": data,
            "from": {"id": user_id or chat_id, "is_bot": False, "first_name": "Parent"},
            "message": message}})

    def push(self, update: dict[str, Any]) -> None:
        self._updates.append({"update_id": next(self._ids), **update})
        self._new_update.set()

    # --- what the test reads --------------------------------------------------------------
    def sent(self, chat_id: int | None = None) -> list[dict[str, Any]]:
        """Messages the bot sent (as the Bot API returned them), oldest first."""
        return [c.params["_result"] for c in self.calls
                if c.method in ("sendMessage", "sendPhoto")
                and (chat_id is None or c.params.get("chat_id") == chat_id)]

    async def wait_for_messages(self, chat_id: int, count: int) -> list[dict[str, Any]]:
        """Wait until the bot has sent `count` messages to the chat in all; return them."""
        async def enough() -> list[dict[str, Any]]:
            while len(self.sent(chat_id)) < count:
                self._new_call.clear()
                await self._new_call.wait()
            return self.sent(chat_id)

        return await asyncio.wait_for(enough(), WAIT_SECONDS)

    async def wait_until(self, done: Callable[[], bool], seconds: float = WAIT_SECONDS
                         ) -> None:
        """Wait until `done()` holds, checking after each call the bot makes."""
        async def check() -> None:
            while not done():
                self._new_call.clear()
                await self._new_call.wait()

        await asyncio.wait_for(check(), seconds)

    async def wait_for_call(self, method: str) -> Call:
        async def found() -> Call:
            while True:
                match = [c for c in self.calls if c.method == method]
                if match:
                    return match[-1]
                self._new_call.clear()
                await self._new_call.wait()

        return await asyncio.wait_for(found(), WAIT_SECONDS)

    def fail_next(self, chat_id: int, *errors: ApiError) -> None:
        """Answer the next messages sent to (or edited in) this chat with these errors."""
        self.failures.setdefault(chat_id, []).extend(errors)

    # --- the server side --------------------------------------------------------------------
    async def handle(self, method: str, params: dict[str, Any]) -> Any:
        if method in self.refused:
            raise ApiError(401, "Unauthorized")
        if method == "getUpdates":
            return await self._get_updates(params)
        queued = self.failures.get(int(params.get("chat_id") or 0))
        sends = method in ("sendMessage", "sendPhoto", "editMessageText", "editMessageReplyMarkup")
        if sends and self.send_delay:
            await asyncio.sleep(self.send_delay)
        if sends and queued:
            raise queued.pop(0)
        if method in ("sendMessage", "editMessageText") and len(
                params.get("text", "")) > TEXT_LIMIT:
            raise ApiError(400, "Bad Request: message is too long")
        result = self._result(method, params)
        self.calls.append(Call(method, {**params, "_result": result}))
        self._new_call.set()
        return result

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        if not self._updates and not self._closing:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), float(params.get("timeout") or 0))
            except TimeoutError:
                return []
        return [] if self._closing else list(self._updates)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        scope = json.dumps(params.get("scope") or {"type": "default"}, sort_keys=True)
        if method == "getMyCommands":
            return self.commands.get(scope, [])
        if method == "setMyCommands":
            self.commands[scope] = params["commands"]
        if method == "setWebhook":
            self.webhook = {k: v for k, v in params.items() if k != "_result"}
        if method == "deleteWebhook":
            self.webhook = {"url": ""}
        if method == "getWebhookInfo":
            return {"url": self.webhook["url"], "has_custom_certificate": False,
                    "pending_update_count": 0,
                    **({"allowed_updates": self.webhook["allowed_updates"]}
                       if "allowed_updates" in self.webhook else {})}
        if method in ("sendMessage", "sendPhoto", "editMessageText"):
            message_id = (int(params["message_id"]) if method == "editMessageText"
                          else next(self._ids))
            message = {"message_id": message_id, "date": int(time.time()),
                       "chat": {"id": int(params["chat_id"]), "type": "private"},
                       "from": BOT_USER}
            if method == "sendPhoto":
                message["caption"] = params.get("caption", "")
                message["photo"] = [{"file_id": f"photo{message_id}",
                                     "file_unique_id": f"p{message_id}", "width": 1000,
                                     "height": 700}]
            else:
                message["text"] = params.get("text", "")
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            return message
        return True


class _Handler(RequestHandler):
    def initialize(self, api: FakeBotApi) -> None:
        self.api = api

    async def post(self, token: str, method: str) -> None:
        if token != self.api.token:
            self.set_status(401)
            self.finish({"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        arguments: dict[str, list[bytes]] = {}
        files: dict[str, Any] = {}
        parse_body_arguments(self.request.headers.get("Content-Type", ""), self.request.body,
                             arguments, files)
        params = {k: _decode(k, v[-1].decode()) for k, v in arguments.items()}
        params.update({k: v[0]["body"] for k, v in files.items()})
        try:
            result = await self.api.handle(method, params)
        except ApiError as error:
            self.set_status(error.status)
            answer: dict[str, Any] = {"ok": False, "error_code": error.status,
                                      "description": error.description}
            if error.retry_after is not None:
                answer["parameters"] = {"retry_after": error.retry_after}
            self.finish(answer)
            return
        self.finish({"ok": True, "result": result})


def _decode(key: str, value: str) -> Any:
    if key in _TEXT_FIELDS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value
