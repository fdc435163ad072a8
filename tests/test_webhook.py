"""Webhook mode as Telegram and a load balancer meet it: the real ASGI app in front of the
real bot (replies go to the fake Bot API), called over HTTP through httpx."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from bot.app import build_application
from bot.config import Settings, load_settings
from bot.intake import Intake
from bot.runtime import Runtime, running
from bot.webhook import HEALTH_PATH, SECRET_HEADER, ensure_webhook, web_app, webhook_path
from storage import updates
from storage.db import Database
from tests.fake_bot_api import FakeBotApi

SECRET = "s3cret-Token_for-tests"
PATH = "/telegram/hook"
NOWHERE = "postgresql+asyncpg://nobody@127.0.0.1:9/none"  # nothing listens on port 9
CHAT = 5150


def update(update_id: int, text: str, chat_id: int = CHAT) -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 1_700_000_000, "text": text,
        "chat": {"id": chat_id, "type": "private", "first_name": "Parent"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Parent"},
        **({"entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}
           if text.startswith("/") else {})}}


@pytest.fixture
async def webhook(fake_api: FakeBotApi, settings: Settings, kbs
                  ) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    """The bot running in webhook mode, and an HTTP client to its ASGI app."""
    settings = settings.model_copy(update={"telegram_api_base_url": fake_api.base_url})
    app = build_application(settings, kbs=kbs)
    async with running(app) as runtime:
        asgi = web_app(runtime, runtime.intake.db, SECRET, PATH)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi),
                                     base_url="http://bot.test") as client:
            yield client, runtime


async def stored(runtime: Runtime) -> dict[int, str | None]:
    async with runtime.intake.db.session() as session:
        return await updates.outcomes(session)


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "wrong"},
                                     {SECRET_HEADER: SECRET + "x"}, {SECRET_HEADER: ""}])
async def test_a_request_without_the_right_secret_is_refused_and_nothing_is_stored(
        webhook, fake_api: FakeBotApi, headers: dict[str, str]) -> None:
    client, runtime = webhook
    answer = await client.post(PATH, json=update(1, "/start kroc"), headers=headers)
    assert answer.status_code == 403
    assert await stored(runtime) == {}
    assert fake_api.sent(CHAT) == []


async def test_an_update_with_the_secret_is_stored_before_200_and_then_answered(
        webhook, fake_api: FakeBotApi) -> None:
    client, runtime = webhook
    answer = await client.post(PATH, json=update(1, "/start kroc"),
                               headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 200
    assert 1 in await stored(runtime)  # stored when the 200 left
    [welcome] = await fake_api.wait_for_messages(CHAT, 1)
    assert "Welcome to Kids Run the OC" in welcome["text"]


async def test_telegram_sending_an_update_again_gets_200_and_one_answer(
        webhook, fake_api: FakeBotApi) -> None:
    client, runtime = webhook
    for _ in range(2):  # Telegram repeats an update it had no answer for
        answer = await client.post(PATH, json=update(7, "/start kroc"),
                                   headers={SECRET_HEADER: SECRET})
        assert answer.status_code == 200
    await fake_api.wait_for_messages(CHAT, 1)
    await runtime.loop.until_idle()
    assert len(fake_api.sent(CHAT)) == 1
    assert await stored(runtime) == {7: updates.HANDLED}


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"message": {}}',
                                  b'{"update_id": "7"}'])
async def test_a_body_that_is_not_an_update_is_a_400(webhook, body: bytes) -> None:
    client, runtime = webhook
    answer = await client.post(PATH, content=body, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 400
    assert await stored(runtime) == {}


async def test_only_post_to_the_webhook_path_is_served(webhook) -> None:
    client, _runtime = webhook
    assert (await client.get(PATH, headers={SECRET_HEADER: SECRET})).status_code == 405
    assert (await client.post("/other", json=update(1, "hi"),
                              headers={SECRET_HEADER: SECRET})).status_code == 404


async def test_health_is_200_while_the_database_answers(webhook) -> None:
    client, _runtime = webhook
    answer = await client.get(HEALTH_PATH)
    assert (answer.status_code, answer.text) == (200, "ok")


async def test_health_is_503_and_updates_get_500_when_the_database_is_down(
        webhook) -> None:
    """Telegram keeps an update it got a 500 for and sends it again later."""
    _client, runtime = webhook
    down = Database(NOWHERE)
    broken = Runtime(Intake(down), runtime.loop)
    asgi = web_app(broken, down, SECRET, PATH)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=asgi),
                                     base_url="http://bot.test") as client:
            assert (await client.get(HEALTH_PATH)).status_code == 503
            answer = await client.post(PATH, json=update(1, "hi"),
                                       headers={SECRET_HEADER: SECRET})
            assert answer.status_code == 500
    finally:
        await down.dispose()


async def test_the_webhook_is_set_once_however_many_workers_start(bot, fake_api) -> None:
    url = "https://bot.example.org/telegram/hook"
    assert await ensure_webhook(bot, url, SECRET) is True
    assert await ensure_webhook(bot, url, SECRET) is False  # the second worker
    sets = [c.params for c in fake_api.calls if c.method == "setWebhook"]
    assert len(sets) == 1
    assert sets[0]["url"] == url and sets[0]["secret_token"] == SECRET
    assert "message" in sets[0]["allowed_updates"]
    assert await ensure_webhook(bot, url + "2", SECRET) is True  # a new URL is set
    assert await ensure_webhook(bot, url + "2", "new-secret", force=True) is True


async def test_commands_are_published_only_when_telegram_shows_others(
        fake_api: FakeBotApi, settings: Settings, kbs) -> None:
    settings = settings.model_copy(update={"telegram_api_base_url": fake_api.base_url})
    for _worker in range(2):
        async with running(build_application(settings, kbs=kbs)):
            pass
    published = [c.params for c in fake_api.calls if c.method == "setMyCommands"]
    assert len(published) == 2  # the default menu and organizer 777's, once each
    assert [p.get("scope") for p in published] == [None, {"type": "chat", "chat_id": 777}]


def test_the_webhook_route_is_the_path_of_its_url() -> None:
    assert webhook_path("https://bot.example.org/telegram/hook") == "/telegram/hook"
    assert webhook_path("https://bot.example.org") == "/"


def test_webhook_settings_are_checked_when_read() -> None:
    url = {"WEBHOOK_URL": "https://bot.example.org/hook"}
    with pytest.raises(ValidationError, match="WEBHOOK_SECRET is not"):
        load_settings(url)
    with pytest.raises(ValidationError, match="A-Z, a-z, 0-9, _ and -"):
        load_settings({**url, "WEBHOOK_SECRET": "has spaces and !"})
    with pytest.raises(ValidationError, match="A-Z, a-z, 0-9, _ and -"):
        load_settings({**url, "WEBHOOK_SECRET": "x" * 257})
    with pytest.raises(ValidationError, match="is not host:port"):
        load_settings({**url, "WEBHOOK_SECRET": "ok", "WEBHOOK_LISTEN": "8080"})
    with pytest.raises(ValidationError, match="is not a URL"):
        load_settings({"WEBHOOK_URL": "bot.example.org/hook", "WEBHOOK_SECRET": "ok"})
    settings = load_settings({**url, "WEBHOOK_SECRET": "A-z_09", "WEBHOOK_LISTEN": "[::1]:88"})
    assert settings.secret == "A-z_09" and settings.listen == ("::1", 88)
    assert "A-z_09" not in repr(settings)
    assert load_settings({}).webhook_url is None  # polling by default
    assert load_settings({}).listen == ("0.0.0.0", 8080)
