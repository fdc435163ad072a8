"""A clock tests move by hand: scheduled work is tested by calling it, never by sleeping."""

from __future__ import annotations

import datetime as dt

T0 = dt.datetime(2026, 11, 23, 17, 0, tzinfo=dt.UTC)  # Monday 9:00 in Los Angeles


class Clock:
    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)
