"""What the bot says to organizers writing, previewing and scheduling announcements."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.callbacks import Audience, CancelAnnouncement, SendChoice
from bot.domain.announcing import (
    Cancelled,
    CancelResult,
    DeliveryReport,
    Listing,
    NotCancellable,
    Preview,
    Reach,
    Scheduled,
    TooLong,
)
from bot.domain.roles import NotAnOrganizer
from bot.texts.reply import TEXT_LIMIT, Button, Reply
from storage.announcements import BEHIND


def audience_label(audience: str, school: str | None, program: str) -> str:
    """Who an announcement goes to, as in “to all KROC families”."""
    if audience == BEHIND:
        return f"{program} families behind pace"
    return f"families of {school}" if school else f"all {program} families"


def _who(reach: Reach) -> str:
    return audience_label(reach.kind, reach.school, reach.program_name)


def report(done: DeliveryReport) -> str:
    """The organizer's report once an announcement is delivered (queued in the outbox)."""
    record = done.announcement
    who = audience_label(record.audience, record.school, done.program_name)
    preview = record.text if len(record.text) <= 60 else record.text[:59] + "…"
    unknown = (f", {done.unknown} unconfirmed (Telegram did not answer in time; they may have "
               "arrived, so they were not sent again)" if done.unknown else "")
    return (f"📣 Your announcement “{preview}” to {who} is out: {done.sent} sent, "
            f"{done.blocked} blocked the bot, {done.failed} failed{unknown}.")


def not_an_organizer() -> Reply:
    return Reply("Sorry, announcements are for this program's organizers. If you are one, ask "
                 "an organizer for an invite link (/invite organizer), or the person who runs "
                 "this bot to add your Telegram id to ORGANIZER_IDS (/whoami shows it).")


def program_changed() -> Reply:
    return Reply("This chat switched program since /announce started, so nothing was sent. "
                 "Start again with /announce in the program's chat.")


def ask_text(program_name: str, restarted: bool = False) -> Reply:
    """The first question of /announce; `restarted` when /announce came again halfway through."""
    opening = ("📣 Starting over: the unfinished announcement is dropped.\n\n" if restarted
               else "📣 ")
    return Reply(f"{opening}What should the announcement to {program_name} families say? Type "
                 "it below. (/cancel to stop)")


def too_long(text: TooLong) -> Reply:
    """A typed announcement longer than one Telegram message: refused, the draft waits."""
    return Reply(f"That's {text.length:,} characters, and one Telegram message holds at most "
                 f"{text.limit:,}. Please shorten it by {text.length - text.limit:,} and send "
                 "it again. (/cancel to stop)")


def use_the_buttons() -> Reply:
    """Typed text at a step that only takes buttons."""
    return Reply("Please choose with the buttons above, or /cancel to stop.")


def lost_track() -> Reply:
    """A step came without the answers before it (the bot restarted, or a very old button)."""
    return Reply("Sorry, I lost track of that announcement. /announce starts again.")


def ask_audience(program_name: str) -> Reply:
    return Reply("Who should get it?", (
        (Button(f"Everyone in {program_name}", Audience("all")),),
        (Button("One school", Audience("school")),),
        (Button("Families behind pace", Audience("behind")),),
        (Button("Cancel", Audience("cancel")),),
    ))


def ask_school(schools: Sequence[str] = ()) -> Reply:
    """Which school: the program's list, when it has one (a typed name is matched to it)."""
    if schools:
        return Reply("Which school? Type its name: " + ", ".join(schools) + ".")
    return Reply("Which school? Type its name as families entered it.")


def chats(count: int) -> str:
    """ "1 chat", "2 chats": how many chats an announcement reaches."""
    return f"{count} chat" if count == 1 else f"{count} chats"


def preview(shown: Preview) -> Reply:
    """The announcement under a line saying who gets it. A text near the limit of one message
    is cut here, and says so: the announcement itself goes out whole."""
    head = f"Preview, to {_who(shown.reach)} ({chats(shown.recipients)} today):\n\n"
    if not shown.recipients:
        head = ("⚠️ No family would get this today. Cancel, or schedule it for when families "
                "have joined.\n\n" + head)
    text = shown.text
    if len(head) + len(text) > TEXT_LIMIT:
        note = (f"\n\n(The preview stops here; the announcement goes out whole, "
                f"{len(text):,} characters.)")
        text = text[:TEXT_LIMIT - len(head) - len(note) - 1] + "…" + note
    return Reply(
        f"{head}{text}",
        ((Button("Send now", SendChoice("now")), Button("Schedule…", SendChoice("later"))),
         (Button("Cancel", SendChoice("cancel")),)),
    )


def ask_when(timezone: str) -> Reply:
    return Reply(f"When should it go out? For example “tomorrow 9:00”, “fri 7:30am” or "
                 f"“2026-12-01 09:00” ({timezone} time).")


def bad_when() -> Reply:
    return Reply("I couldn't read that as a time in the future. Try “tomorrow 9:00” or "
                 "“2026-12-01 09:00”.")


def queued(scheduled: Scheduled) -> Reply:
    who, when = _who(scheduled.reach), scheduled.when
    if when is None:
        return Reply(f"✅ Sending to {who} now. You'll get a report when it's delivered.")
    return Reply(f"✅ Scheduled for {when:%a %b} {when.day}, {when:%H:%M} to {who}. "
                 "/announcements lists and cancels scheduled ones.")


def cancelled() -> Reply:
    return Reply("OK, nothing was sent.")


def scheduled_list(listing: Listing) -> Reply:
    items = listing.items
    if not items:
        return Reply("No announcements are scheduled. /announce writes one.")
    zone = ZoneInfo(listing.timezone)
    lines, buttons = ["Scheduled announcements:"], []
    for item in items:
        when = item.due_at.astimezone(zone)
        who = item.school or ("families behind pace" if item.audience == BEHIND else
                              "everyone")
        short = item.text if len(item.text) <= 50 else item.text[:49] + "…"
        lines.append(f"#{item.id} {when:%a %b} {when.day} {when:%H:%M}, to {who}: {short}")
        buttons.append((Button(f"Cancel #{item.id}", CancelAnnouncement(item.id)),))
    return Reply("\n".join(lines), tuple(buttons))


def cancelling(result: CancelResult) -> Reply:
    """After a press on "Cancel #n" under /announcements."""
    match result:
        case Cancelled(announcement=item):
            return Reply(f"Cancelled announcement #{item.id}.")
        case NotCancellable():
            return Reply("That announcement is already sent, being sent, or cancelled.")
        case NotAnOrganizer():
            return not_an_organizer()
