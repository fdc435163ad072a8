"""The words printed on the packet-pickup log (bot/pictures/pickup_log.py): headings, each
child's line, their entries, page footers. Names and schools come in already made safe to draw
(bot.pictures.drawing.safe_text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.domain.progress import format_miles
from bot.texts.amounts import miles_label

NO_SCHOOL = "No school given"
NO_ENTRIES = "No miles logged yet."
NAME_NOT_PRINTABLE = "(name in a script this log cannot print)"
PICKED_UP = "Tick the box when the packet is picked up."


def document_title(program: str) -> str:
    return f"{program}: packet pickup log"


def continued(heading: str) -> str:
    """A heading repeated atop the page its school or child runs onto."""
    return f"{heading} (continued)"


def school_heading(school: str | None, more: bool = False) -> str:
    heading = school or NO_SCHOOL
    return continued(heading) if more else heading


def section_summary(children: int, done: int, goal: float) -> str:
    """How many children the school has, and how many reached the goal."""
    noun = "child" if children == 1 else "children"
    return f"{children} {noun}, {done} at the {format_miles(goal)}-mile goal"


def nobody(school: str | None) -> str:
    """The whole log when there is no child to print."""
    return f"No children at {school} yet." if school else "No children in this program yet."


def whole_program(school: str | None) -> str:
    """The heading of an empty log."""
    return school or "All schools"


def grade(value: str) -> str:
    return "Kindergarten" if value == "K" else f"Grade {value}"


def total(miles: float, goal: float, done: bool) -> str:
    line = f"{format_miles(miles)} of {format_miles(goal)} miles"
    return f"{line}, goal reached" if done else line


def details(grade_value: str, reached: Sequence[float]) -> str:
    """The line under a child's name: their grade and the milestones they reached."""
    return f"{grade(grade_value)}   ·   {milestones(reached)}"


def milestones(reached: Sequence[float]) -> str:
    if not reached:
        return "milestones reached: none yet"
    *first, last = reached
    return "milestones reached: " + ", ".join([*(format_miles(m) for m in first),
                                               miles_label(last)])


def entry(day: dt.date, miles: float, activity: str | None) -> str:
    line = f"{day:%b} {day.day}   {format_miles(miles)} mi"
    return f"{line}   {activity}" if activity else line


def footer(made: dt.date, page: int, pages: int) -> str:
    return f"Made {made:%b} {made.day}, {made.year}   ·   page {page} of {pages}"
