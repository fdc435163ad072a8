"""Read when an organizer wants an announcement sent: "tomorrow 9:00", "2026-11-24 09:00",
"fri 7:30am", "17:00", and whether a moment is still to come. Pure: the caller gives the current
local time."""

from __future__ import annotations

import datetime as dt
import re

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TIME = re.compile(r"(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})/(\d{1,2})")


def in_future(moment: dt.datetime, now: dt.datetime) -> bool:
    """Whether an announcement may be set for `moment`: only a time still to come (the chat's
    typed times and the CLI's --at alike)."""
    return moment > now


def parse_when(text: str, now: dt.datetime) -> dt.datetime | None:
    """The moment meant, in `now`'s time zone; None when unreadable or not in the future."""
    words = " ".join(text.lower().replace(",", " ").split())
    day = now.date()
    for pattern, shift in (("today", 0), ("tomorrow", 1), ("tmrw", 1)):
        if words.startswith(pattern):
            day, words = now.date() + dt.timedelta(days=shift), words[len(pattern):].strip()
            break
    else:
        weekday = next((i for i, name in enumerate(_WEEKDAYS) if words.startswith(name)), None)
        date = _DATE.match(words)
        if weekday is not None:
            ahead = (weekday - now.weekday()) % 7 or 7
            day, words = now.date() + dt.timedelta(days=ahead), words.split(" ", 1)[-1]
        elif date:
            try:
                if date[1]:
                    day = dt.date(int(date[1]), int(date[2]), int(date[3]))
                else:
                    day = dt.date(now.year, int(date[4]), int(date[5]))
                    if day < now.date():
                        day = day.replace(year=now.year + 1)
            except ValueError:
                return None
            words = words[date.end():].strip().removeprefix("t").strip()
    time = _TIME.match(words.strip())
    if time is None:
        return None
    hour, minute = int(time[1]), int(time[2] or 0)
    if time[3]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if time[3].startswith("p") else 0)
    if hour > 23 or minute > 59:
        return None
    moment = dt.datetime.combine(day, dt.time(hour, minute), tzinfo=now.tzinfo)
    return moment if in_future(moment, now) else None
