"""What the bot says to a running total ("Jack's at 14 miles so far"): what is logged, and a
button for the miles missing, never a day's miles logged by mistake (no Telegram import)."""

from __future__ import annotations

from bot.callbacks import ConfirmLog
from bot.domain.log_results import ChildTotal, TotalCheck
from bot.domain.progress import format_miles
from bot.texts.amounts import miles_label
from bot.texts.parsing import join_names
from bot.texts.reply import Button, Reply


def _offered(row: ChildTotal, check: TotalCheck) -> bool:
    return check.token is not None and 0 < row.more <= check.cap


def _one(row: ChildTotal, check: TotalCheck) -> str:
    """One child's logged miles beside the total stated for them."""
    stated, logged = format_miles(row.stated or check.stated), miles_label(row.logged)
    if row.more == 0:
        return f"✅ {row.name} is up to date: {logged} logged so far. Great work! 🎉"
    if row.more < 0:
        return (f"{row.name} has {logged} logged so far, more than {stated}, so there's "
                "nothing to add. /history shows every entry.")
    short = f"{row.name} has {logged} logged so far, {miles_label(row.more)} short of {stated}."
    if _offered(row, check):
        return (f"{short} Log the other {miles_label(row.more)} for today? If they were run "
                f"on other days, send them day by day, like “{row.first_name} ran 1 mile "
                "yesterday”.")
    return (f"{short} That's more than one day's {format_miles(check.cap)} miles, so send "
            f"them day by day, like “{row.first_name} ran 2 miles yesterday”. /history shows "
            "what's logged.")


def _status(row: ChildTotal) -> str:
    if row.more == 0:
        return "up to date"
    return f"{miles_label(row.more)} short" if row.more > 0 else "more than that"


def total_check(check: TotalCheck) -> Reply:
    """The child's real total, and "Log 2.5 more for Jack" when miles are missing."""
    unknown = (f"I don't know {join_names(check.unknown, 'or')} (/addkid adds a child). "
               if check.unknown else "")
    if check.named or (len(check.children) == 1 and not check.unknown):
        text = unknown + "\n".join(_one(row, check) for row in check.children)
    else:
        lines = [f"{unknown}Which child is at {miles_label(check.stated)}? Logged so far:"]
        lines += [f"• {r.name}: {miles_label(r.logged)} ({_status(r)})" for r in check.children]
        if check.token is not None:
            lines.append("Press a name to log the miles missing for today.")
        text = "\n".join(lines)
    if check.token is None:
        return Reply(text)
    buttons = tuple(Button(f"Log {format_miles(r.more)} more for {r.name}",
                           ConfirmLog(check.token, str(r.child_id)))
                    for r in check.children if _offered(r, check))
    if check.named and len(buttons) > 1:  # one press takes the buttons away: all at once too
        buttons += (Button("Log all of these", ConfirmLog(check.token, "all")),)
    rows = (*((b,) for b in buttons), (Button("No", ConfirmLog(check.token, "no")),))
    return Reply(text, rows)
