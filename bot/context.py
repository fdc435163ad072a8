"""Typed access to the app's services from handlers (instead of bot_data["..."] casts)."""

from __future__ import annotations

from telegram.ext import Application, CallbackContext, ExtBot

from bot.services import Services


class FinalMileContext(CallbackContext[ExtBot, dict, dict, dict]):
    def __init__(self, application: Application, chat_id: int | None = None,
                 user_id: int | None = None) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)

    @property
    def services(self) -> Services:
        return self.bot_data["services"]
