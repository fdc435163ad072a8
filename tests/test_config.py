"""Settings come from the environment (or an injected mapping) and keep the token secret."""

import pytest
from pydantic import ValidationError

from bot.config import load_settings


def test_defaults_need_nothing_set() -> None:
    settings = load_settings({})
    assert settings.token is None
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.organizer_ids == frozenset()


def test_organizer_ids_are_a_comma_separated_list() -> None:
    assert load_settings({"ORGANIZER_IDS": "12, 34,56"}).organizer_ids == {12, 34, 56}


def test_the_token_never_shows_in_a_repr() -> None:
    settings = load_settings({"TELEGRAM_BOT_TOKEN": "123:SECRET"})
    assert settings.token == "123:SECRET"
    assert "SECRET" not in repr(settings)


def test_an_empty_token_means_no_token() -> None:
    assert load_settings({"TELEGRAM_BOT_TOKEN": "  "}).token is None


def test_bad_values_are_refused_with_a_reason() -> None:
    with pytest.raises(ValidationError, match="Telegram user ids"):
        load_settings({"ORGANIZER_IDS": "alice"})
    with pytest.raises(ValidationError, match="not an IANA time zone"):
        load_settings({"TIMEZONE": "Mars/Olympus"})


def test_an_injected_mapping_ignores_the_process_environment(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://elsewhere/db")
    assert load_settings({}).database_url.startswith("sqlite")


def test_the_running_bot_does_not_log_every_tick_of_its_job_queue() -> None:
    """APScheduler logs "Running job" and "executed successfully" at INFO on every run: four
    ticks a second would flood the log at the default LOG_LEVEL=INFO."""
    import logging

    from bot.app import build_application

    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.INFO)
    try:
        build_application(load_settings({"DATABASE_URL": "sqlite+aiosqlite:///:memory:"}))
        executor_log = logging.getLogger("apscheduler.executors.default")
        assert not executor_log.isEnabledFor(logging.INFO)
        assert executor_log.isEnabledFor(logging.WARNING)
    finally:
        root.setLevel(level)
