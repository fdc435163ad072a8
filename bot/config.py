"""Settings from the environment and `.env`; nothing is read at import time.

The token is a SecretStr so it never ends up in a log line or a repr.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from storage.db import DEFAULT_DATABASE_URL

SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as secret_token


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    telegram_bot_token: SecretStr | None = None
    telegram_api_base_url: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    organizer_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    timezone: str = "America/Los_Angeles"
    send_rate_limit: float = Field(default=30.0, gt=0, le=1000)
    log_level: str = "INFO"
    webhook_url: str | None = None  # set: webhook mode (bot/webhook.py); empty: polling
    webhook_listen: str = "0.0.0.0:8080"
    webhook_secret: SecretStr | None = None
    updates_retention_days: float = Field(default=7.0, gt=0)
    bot_username: str | None = None  # for invite links; asked of Telegram (getMe) when unset
    faq_semantic_model: str | None = None  # a model directory: semantic re-ranking (faq/matching)
    faq_semantic_model_sha256: str | None = None  # pins model.onnx beyond its SHA256SUMS

    @field_validator("telegram_bot_token", "telegram_api_base_url", "webhook_url",
                     "webhook_secret", "bot_username", "faq_semantic_model",
                     "faq_semantic_model_sha256", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("organizer_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = value.replace(";", ",").replace(" ", ",").split(",")
            try:
                return frozenset(int(p) for p in parts if p.strip())
            except ValueError as exc:
                raise ValueError("ORGANIZER_IDS must be Telegram user ids, e.g. 123,456") from exc
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"TIMEZONE '{value}' is not an IANA time zone") from exc
        return value

    @field_validator("faq_semantic_model_sha256")
    @classmethod
    def _hex_digest(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[0-9a-fA-F]{64}", value.strip()):
            raise ValueError("FAQ_SEMANTIC_MODEL_SHA256 must be a SHA-256 in hex (64 characters)")
        return value.strip().lower() if value else value

    @field_validator("webhook_url")
    @classmethod
    def _web_url(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in ("https", "http") or not parts.hostname:
                raise ValueError(f"WEBHOOK_URL '{value}' is not a URL like "
                                 "https://bot.example.org/telegram")
        return value

    @field_validator("webhook_listen")
    @classmethod
    def _host_port(cls, value: str) -> str:
        host, _, port = value.rpartition(":")
        if not host or not port.isdigit() or not 0 <= int(port) <= 65535:
            raise ValueError(f"WEBHOOK_LISTEN '{value}' is not host:port, e.g. 0.0.0.0:8080")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_charset(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not SECRET_TOKEN.fullmatch(value.get_secret_value()):
            raise ValueError("WEBHOOK_SECRET must be 1-256 characters: A-Z, a-z, 0-9, _ and -")
        return value

    @model_validator(mode="after")
    def _webhook_needs_a_secret(self) -> Settings:
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError("WEBHOOK_URL is set but WEBHOOK_SECRET is not: set a secret "
                             "(1-256 characters: A-Z, a-z, 0-9, _ and -) so only Telegram "
                             "can post updates")
        return self

    @property
    def listen(self) -> tuple[str, int]:
        """WEBHOOK_LISTEN as (host, port)."""
        host, _, port = self.webhook_listen.rpartition(":")
        return host.strip("[]"), int(port)

    @property
    def secret(self) -> str | None:
        return self.webhook_secret.get_secret_value() if self.webhook_secret else None

    @property
    def token(self) -> str | None:
        return self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else None


class _InjectedSettings(Settings):
    """Settings that read nothing but what they are given (tests, embedding)."""

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def load_settings(
    environ: Mapping[str, str] | None = None, env_file: str | None = ".env"
) -> Settings:
    """Settings from the process environment and `.env`, or only from `environ` when given."""
    if environ is None:
        return Settings(_env_file=env_file)
    fields: dict[str, Any] = {name.lower(): value for name, value in environ.items()
                              if name.lower() in Settings.model_fields}  # validated as read
    return _InjectedSettings(**fields)
