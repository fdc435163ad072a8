"""Miles in words: "1 mile", "2.5 miles", shared by every text that names an amount."""

from __future__ import annotations

from bot.domain.progress import format_miles


def mile_word(miles: float) -> str:
    return "mile" if format_miles(miles) == "1" else "miles"


def miles_label(miles: float) -> str:
    return f"{format_miles(miles)} {mile_word(miles)}"
