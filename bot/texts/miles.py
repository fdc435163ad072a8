"""What the bot says about logged miles: confirmations, undo, history (no Telegram import)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.callbacks import ConfirmLog, DeleteEntry, Undo, WeeklyChart, rows_to_json
from bot.domain.miles import Claim, Why
from bot.domain.programs import Program
from bot.domain.progress import format_miles, progress_bar
from bot.texts.parsing import reason_text
from bot.texts.reply import Button, Reply
from storage.families import ChildRecord, EntryRecord, LogRecord, NewEntry

PLAIN_ACTIVITIES = frozenset({"run", "walk", "jog", "run/walk"})  # not worth repeating back


def _activity(activity: str | None) -> str:
    return f" ({activity})" if activity and activity not in PLAIN_ACTIVITIES else ""


def day_label(day: dt.date, today: dt.date) -> str:
    if day == today:
        return "today"
    if day == today - dt.timedelta(days=1):
        return "yesterday"
    return f"{day:%a %b} {day.day}"


def miles_label(miles: float) -> str:
    return f"{format_miles(miles)} mile" + ("" if format_miles(miles) == "1" else "s")


def _standing(child_id: int, name: str, totals: dict[int, int], program: Program) -> str:
    total = totals.get(child_id, 0) / 100
    bar = progress_bar(min(1.0, total / program.goal_miles), width=10)
    return f"{name}: {format_miles(total)} of {format_miles(program.goal_miles)} miles {bar}"


def logged(log_id: int, entries: Sequence[NewEntry], names: dict[int, str],
           totals: dict[int, int], program: Program, today: dt.date) -> Reply:
    lines = []
    for e in entries:
        lines.append(f"✅ Logged {miles_label(e.hundredths / 100)} for {names[e.child_id]}, "
                     f"{day_label(e.day, today)}{_activity(e.activity)}.")
    lines.append("")
    for child_id in dict.fromkeys(e.child_id for e in entries):
        lines.append(_standing(child_id, names[child_id], totals, program))
    return Reply("\n".join(lines), ((Button("↩️ Undo", Undo(log_id)),),))


def confirm(reason: Why | None, claims: Sequence[Claim], kids: list[ChildRecord], token: str,
            today: dt.date) -> Reply:
    """Ask before logging: which child, or "did you mean miles?"."""
    amount = " + ".join(f"{miles_label(c.miles)} {day_label(c.day, today)}" for c in claims)
    if all(c.child is not None for c in claims):
        text = reason_text(reason) or f"Log {amount}?"
        return Reply(text, ((Button("Yes, log it", ConfirmLog(token, "yes")),
                             Button("No", ConfirmLog(token, "no"))),))
    text = reason_text(reason) or f"Who ran {amount}?"
    buttons = [Button(c.name, ConfirmLog(token, str(c.id))) for c in kids]
    if len(kids) > 1:
        buttons.append(Button("All of them", ConfirmLog(token, "all")))
    rows = [tuple(buttons[i:i + 3]) for i in range(0, len(buttons), 3)]
    rows.append((Button("Cancel", ConfirmLog(token, "no")),))
    return Reply(text, tuple(rows))


def repeat(token: str) -> Reply:
    return Reply("You logged exactly these miles a few minutes ago. Log them again?",
                 ((Button("Yes, log again", ConfirmLog(token, "again")),
                   Button("No, it was a repeat", ConfirmLog(token, "no"))),))


def rejected(reason: Why | None) -> Reply:
    return Reply(f"🤔 {reason_text(reason) or 'I could not log that.'} Nothing was logged.")


def over_cap(name: str, day: dt.date, total: float, cap: float, today: dt.date) -> Reply:
    return Reply(
        f"🤔 That would make {format_miles(total)} miles for {name} {day_label(day, today)}, "
        f"more than the program's {format_miles(cap)} miles a day. Nothing was logged; "
        "if it's a typo, just send it again."
    )


def too_many(limit: int) -> Reply:
    return Reply(f"🤔 That's more than {limit} entries in one message. Please send at most "
                 f"{limit} at a time. Nothing was logged.")


def add_a_child_first() -> Reply:
    return Reply("Who's running? Add your child first with /addkid, then send the miles again.")


def log_help() -> Reply:
    return Reply("Tell me the miles, like “/log 1.5”, “/log Emma 1, Jack 2” or "
                 "“/log 4 laps yesterday”.")


def expired() -> Reply:
    return Reply("That question has expired. Please send the miles again.")


def not_logged() -> Reply:
    return Reply("OK, nothing was logged.")


def undone(log: LogRecord, totals: dict[int, int], program: Program) -> Reply:
    taken = ", ".join(f"{miles_label(e.hundredths / 100)} for {e.child_name}" for e in log.entries)
    lines = [f"↩️ Undone: {taken}."]
    seen: dict[int, str] = {e.child_id: e.child_name for e in log.entries}
    lines += [_standing(child_id, name, totals, program) for child_id, name in seen.items()]
    return Reply("\n".join(lines))


def nothing_to_undo(already: bool = False) -> Reply:
    if already:
        return Reply("That was already undone. /history shows what's logged.")
    return Reply("There's nothing to undo. /history shows what's logged.")


def history(entries: list[EntryRecord]) -> Reply:
    if not entries:
        return Reply("No miles logged yet. Send a message like “Emma ran 1 mile” to start!")
    lines = ["Recent miles (press 🗑 to delete one):"]
    buttons = []
    for e in entries:
        label = f"{e.day:%b} {e.day.day} · {e.child_name} · {miles_label(e.hundredths / 100)}"
        lines.append(f"• {label}{_activity(e.activity)}")
        buttons.append((Button(f"🗑 {label}", DeleteEntry(e.id)),))
    return Reply("\n".join(lines), tuple(buttons))


def deleted(entry: EntryRecord | None) -> Reply:
    if entry is None:
        return Reply("That entry is already gone. /history shows what's logged.")
    return Reply(f"🗑 Deleted {miles_label(entry.hundredths / 100)} for {entry.child_name} "
                 f"on {entry.day:%b} {entry.day.day}.")


def milestone(name: str, miles: float, program: Program) -> str:
    """The congratulation for a milestone: an award along the way, or the whole 25.2."""
    if miles >= program.goal_miles:
        when = (f"on {program.event_date:%A, %B} {program.event_date.day}"
                if program.event_date else "(the date will be announced)")
        return (f"🏁 {name} has run all {format_miles(program.goal_miles)} miles! Amazing work. "
                f"The final mile is run at {program.event_name} {when}: see you at the finish!")
    left = format_miles(program.goal_miles - miles)
    return (f"🎉 {name} reached {format_miles(miles)} miles! Time to present an award: make it "
            f"a special time, recognition is important! {left} miles to go to "
            f"{format_miles(program.goal_miles)}.")


def chart_button(child_id: int, name: str) -> str:
    """The weekly chart button under a milestone picture, as the outbox stores buttons."""
    return rows_to_json((((f"📈 {name}'s weekly miles", WeeklyChart(child_id)),),))
