"""What the bot says about logged miles: the logbook's results, worded (no Telegram import)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence

from bot.callbacks import (
    ConfirmDelete,
    ConfirmLog,
    DeleteEntry,
    HistoryPage,
    KeepEntry,
    Undo,
    rows_to_json,
)
from bot.domain.log_results import (
    AlreadyGone,
    Deleted,
    DeleteResult,
    Expired,
    History,
    Logged,
    LogResult,
    Milestone,
    NeedsChild,
    NeedsConfirmation,
    NoChildren,
    NotALog,
    NothingToUndo,
    Notice,
    NotLogged,
    OverCap,
    Rejected,
    Repeat,
    SureToDelete,
    TooMany,
    Total,
    TotalCheck,
    Undone,
    UndoResult,
)
from bot.domain.miles import Claim, Reason, Why
from bot.domain.programs import Program
from bot.domain.progress import format_miles, progress_bar
from bot.texts.amounts import miles_label
from bot.texts.parsing import reason_text
from bot.texts.progress import chart_button
from bot.texts.reply import Button, Reply
from bot.texts.totals import total_check
from storage.children import ChildRecord
from storage.mile_logs import EntryRecord

PLAIN_ACTIVITIES = frozenset({"run", "walk", "jog", "run/walk"})  # not worth repeating back
PAIRS_UP_TO = 4  # children: "which two?" offers every pair (six at most); more: their names


def _activity(activity: str | None) -> str:
    return f" ({activity})" if activity and activity not in PLAIN_ACTIVITIES else ""


def day_label(day: dt.date, today: dt.date) -> str:
    if day == today:
        return "today"
    if day == today - dt.timedelta(days=1):
        return "yesterday"
    return f"{day:%a %b} {day.day}"


def _standing(total: Total, program: Program) -> str:
    bar = progress_bar(min(1.0, total.miles / program.goal_miles), width=10)
    return (f"{total.name}: {format_miles(total.miles)} of {format_miles(program.goal_miles)} "
            f"miles {bar}")


def logging(result: LogResult) -> Reply:
    """The answer to a message with miles, or to a button on its question."""
    match result:
        case Logged():
            return logged(result)
        case NeedsChild(claims=claims, kids=kids, token=token, reason=reason, today=today):
            return who_ran(reason, claims, kids, token, today)
        case NeedsConfirmation(claims=claims, token=token, reason=reason, today=today):
            return log_these(reason, claims, token, today)
        case Repeat(token=token):
            return repeat(token)
        case TotalCheck():
            return total_check(result)
        case OverCap(name=name, day=day, total=total, cap=cap, today=today):
            return over_cap(name, day, total, cap, today)
        case Rejected(reason=reason):
            return rejected(reason)
        case TooMany(limit=limit):
            return too_many(limit)
        case NoChildren():
            return add_a_child_first()
        case NotALog():
            return log_help()
        case Expired():
            return expired()
        case NotLogged():
            return not_logged()


def logged(result: Logged) -> Reply:
    lines = [f"✅ Logged {miles_label(e.miles)} for {e.name}, "
             f"{day_label(e.day, result.today)}{_activity(e.activity)}." for e in result.entries]
    note = reason_text(result.note)
    lines += [note, ""] if note else [""]  # "I didn't count Jack's bike ride: ..."
    lines += [_standing(total, result.program) for total in result.totals]
    return Reply("\n".join(lines), ((Button("↩️ Undo", Undo(result.log_id)),),))


def _amount(claims: Sequence[Claim], today: dt.date) -> str:
    return " + ".join(f"{miles_label(c.miles)} {day_label(c.day, today)}" for c in claims)


def who_ran(reason: Why | None, claims: Sequence[Claim], kids: Sequence[ChildRecord],
            token: str, today: dt.date) -> Reply:
    """Ask which child ran miles the message did not give a child."""
    text = reason_text(reason) or f"Who ran {_amount(claims, today)}?"
    if reason is not None and reason.code == Reason.WHICH_TWO and len(kids) <= PAIRS_UP_TO:
        buttons = [Button(f"{a.name} & {b.name}", ConfirmLog(token, f"{a.id}-{b.id}"))
                   for a, b in itertools.combinations(kids, 2)]
    else:
        buttons = [Button(c.name, ConfirmLog(token, str(c.id))) for c in kids]
    if len(kids) > 1:
        buttons.append(Button("All of them", ConfirmLog(token, "all")))
    rows = [tuple(buttons[i:i + 3]) for i in range(0, len(buttons), 3)]
    rows.append((Button("Cancel", ConfirmLog(token, "no")),))
    return Reply(text, tuple(rows))


def log_these(reason: Why | None, claims: Sequence[Claim], token: str, today: dt.date
              ) -> Reply:
    """Ask before logging miles the message may not mean."""
    return Reply(reason_text(reason) or f"Log {_amount(claims, today)}?",
                 ((Button("Yes, log it", ConfirmLog(token, "yes")),
                   Button("No", ConfirmLog(token, "no"))),))


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


def undo(result: UndoResult) -> Reply:
    match result:
        case Undone(entries=entries, totals=totals, program=program):
            taken = ", ".join(f"{miles_label(e.miles)} for {e.name}" for e in entries)
            return Reply("\n".join([f"↩️ Undone: {taken}.",
                                    *(_standing(total, program) for total in totals)]))
        case NothingToUndo(already=True):
            return Reply("That was already undone. /history shows what's logged.")
        case NothingToUndo():
            return Reply("There's nothing to undo. /history shows what's logged.")


def _entry_label(e: EntryRecord) -> str:
    return f"{e.day:%b} {e.day.day} · {e.child_name} · {miles_label(e.hundredths / 100)}"


def history(result: History) -> Reply:
    """A page of entries, each with 🗑, and « Older / Newer » when there are more."""
    if not result.entries:
        return Reply("No miles logged yet. Send a message like “Emma ran 1 mile” to start!")
    title = ("Recent miles" if result.page == 0
             else f"Older miles, page {result.page + 1} of {result.pages}")
    lines = [f"{title} (press 🗑 to delete one):"]
    rows: list[tuple[Button, ...]] = []
    for e in result.entries:
        lines.append(f"• {_entry_label(e)}{_activity(e.activity)}")
        rows.append((Button(f"🗑 {_entry_label(e)}", DeleteEntry(e.id)),))
    paging = []
    if result.older:
        paging.append(Button("« Older", HistoryPage(result.page + 1)))
    if result.newer:
        paging.append(Button("Newer »", HistoryPage(result.page - 1)))
    if paging:
        rows.append(tuple(paging))
    return Reply("\n".join(lines), tuple(rows))


def _entry_words(e: EntryRecord) -> str:
    return f"{miles_label(e.hundredths / 100)} for {e.child_name} on {e.day:%b} {e.day.day}"


def deleting(result: DeleteResult) -> Reply:
    """🗑 asks once; "Yes, delete it" deletes."""
    match result:
        case SureToDelete(entry=entry):
            return Reply(f"Delete {_entry_words(entry)}?",
                         ((Button("Yes, delete it", ConfirmDelete(entry.id)),
                           Button("No, keep it", KeepEntry())),))
        case Deleted(entry=entry):
            return Reply(f"🗑 Deleted {_entry_words(entry)}.")
        case AlreadyGone():
            return Reply("That entry is already gone. /history shows what's logged.")


def kept() -> Reply:
    return Reply("OK, nothing was deleted.")


def milestone(reached: Milestone) -> Notice:
    """The congratulation for a milestone (an award along the way, or the whole 25.2), with
    the child's weekly chart button under it."""
    name, miles, program = reached.name, reached.miles, reached.program
    if miles >= program.goal_miles:
        when = (f"on {program.event_date:%A, %B} {program.event_date.day}"
                if program.event_date else "(the date will be announced)")
        text = (f"🏁 {name} has run all {format_miles(program.goal_miles)} miles! Amazing work. "
                f"The final mile is run at {program.event_name} {when}: see you at the finish!")
    else:
        left = format_miles(program.goal_miles - miles)
        text = (f"🎉 {name} reached {format_miles(miles)} miles! Time to present an award: "
                f"make it a special time, recognition is important! {left} miles to go to "
                f"{format_miles(program.goal_miles)}.")
    button = chart_button(reached.child_id, name)
    chart = rows_to_json((((button.label, button.data),),))
    return Notice(text, chart)
