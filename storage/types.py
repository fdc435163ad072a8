"""Column types of our own: moments kept in UTC, and text as people typed it, cleaned of what
a database refuses."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import DateTime, String, Text
from sqlalchemy.types import TypeDecorator


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A moment in time, stored in UTC and read back as an aware UTC datetime.

    SQLite has no time zone type: without this, 09:00 Los Angeles time would be stored as
    "09:00" and later compared with UTC clocks, eight hours off.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: object
                           ) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a naive datetime has no place in the database: give a time zone")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect: object
                             ) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


_SURROGATE = re.compile("[\ud800-\udfff]")


class TypedText(TypeDecorator[str]):
    """Text that people typed. PostgreSQL refuses the NUL character in text (one such message
    would fail every write of its transaction), so it is dropped; so are lone surrogates
    (half an emoji, which a client can send escaped in JSON), which neither database can
    encode as UTF-8. Nothing else changes.
    `TypedText(120)` is a VARCHAR(120), `TypedText()` unbounded TEXT."""

    impl = Text
    cache_ok = True

    def __init__(self, length: int | None = None) -> None:
        super().__init__()
        self.impl = String(length) if length else Text()  # type: ignore[assignment]

    def process_bind_param(self, value: str | None, dialect: object) -> str | None:
        if not value:
            return value
        value = value.replace("\x00", "")
        if _SURROGATE.search(value):
            value = _SURROGATE.sub("", value)
        return value
