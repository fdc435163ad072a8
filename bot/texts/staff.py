"""What the bot says to coaches and organizers: invite links, joining by one, the roster."""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.announcing import BadTime, TooLong
from bot.domain.programs import Program
from bot.domain.schools import AlreadyListed, NotAnOrganizerHere, NotASchoolName, SchoolAdded
from bot.domain.staffing import (
    ContactShared,
    InviteGone,
    InviteMade,
    Joined,
    NoRecipients,
    NoSchool,
    NotAllowed,
    NoticeSent,
    Roster,
    UnknownProgram,
    UnknownSchool,
)
from bot.texts.announce import too_long
from bot.texts.reply import Reply

DATE = "%b %-d"


def invite_link(bot_username: str, code: str) -> str:
    """The deep link that opens the bot with the invite (Telegram's ?start= payload)."""
    return f"https://t.me/{bot_username}?start={code}"


def invite(result: InviteMade | UnknownProgram | UnknownSchool | NotAllowed,
           bot_username: str) -> Reply:
    match result:
        case InviteMade(code=code, role=role, expires_at=expires):
            who = f"coach of {role.school}" if role.school else "organizer"
            return Reply(f"Send this link to the new {who}. It works once, until "
                         f"{expires:{DATE}} (UTC):\n{invite_link(bot_username, code)}")
        case UnknownProgram(slug=slug):
            return Reply(f"There is no program “{slug}”.")
        case UnknownSchool(school=school, schools=schools):
            if not school:
                return Reply("Which school? For example: /invite coach Lincoln Elementary")
            return Reply(f"“{school}” is not one of the program's schools: "
                         f"{', '.join(schools)}.")
        case NotAllowed():
            return Reply("Only the program's organizers can invite coaches and organizers.")


def invite_usage() -> Reply:
    return Reply("Invite with /invite coach SCHOOL or /invite organizer, for example "
                 "/invite coach Lincoln Elementary.")


def joined(result: Joined | InviteGone) -> Reply:
    match result:
        case Joined(role=role, program=program):
            if role.school:
                return Reply(f"Welcome, coach! 👟 You coach {role.school} in {program.name}. "
                             "/roster lists your school's children and their miles; /notice "
                             "followed by a message (a rain delay) writes to their families; "
                             "/contact shares how they reach you.")
            return Reply(f"Welcome! You're now an organizer of {program.name}. /help lists "
                         "your tools.")
        case InviteGone():
            return Reply("This invite link has expired or was used already. Ask the "
                         "organizer for a new one.")


def roster(result: Roster | NotAllowed) -> Reply:
    match result:
        case NotAllowed():
            return Reply("/roster is for the program's coaches and organizers. If you coach a "
                         "school, ask the organizer for an invite link.")
        case Roster(program=program, schools=schools, children=children):
            where = ", ".join(schools) if schools else f"all of {program.short_name}"
            if not children:
                return Reply(f"No children from {where} yet. Families add them with /addkid.")
            lines = [f"📋 {where}: {len(children)} "
                     f"{'child' if len(children) == 1 else 'children'}"]
            school = None
            for c in children:
                if not schools and c.school != school:
                    school = c.school
                    lines.append(f"\n{school or 'No school given'}")
                last = f"last {c.last_logged:{DATE}}" if c.last_logged else "no miles yet"
                mark = " ⚠️ behind" if c.behind else ""
                lines.append(f"• {c.name} (grade {c.grade}): {c.miles:g} of "
                             f"{program.goal_miles:g} mi, {last}{mark}")
            return Reply("\n".join(lines))


def notice_usage() -> Reply:
    return Reply("Write the notice after the command, for example: /notice Practice is moved "
                 "to Thursday because of the rain. To send it later, put the time on the first "
                 "line: /notice at tomorrow 6:30am, then the notice on the next line.")


def notice(result: list[NoticeSent | NoRecipients] | NoSchool | NotAllowed | TooLong
           | BadTime) -> Reply:
    match result:
        case TooLong():
            return too_long(result)
        case BadTime():
            return Reply("I couldn't read that time, or it has passed. Write it on the first "
                         "line, like “at tomorrow 6:30am”, and the notice on the next.")
        case NotAllowed():
            return Reply("/notice is for the program's coaches, to write to their school's "
                         "families.")
        case NoSchool():
            return Reply("You coach no school in this program. Organizers write to families "
                         "with /announce.")
        case list():
            lines = []
            for sent in result:
                match sent:
                    case NoticeSent(school=school, recipients=n, due=None):
                        lines.append(f"📣 Sent to the {n} {'family' if n == 1 else 'families'}"
                                     f" of {school}. A delivery report follows.")
                    case NoticeSent(school=school, due=due) if due is not None:
                        lines.append(f"🕒 Scheduled for the families of {school} at "
                                     f"{due:%a %b %-d, %-I:%M %p}. A delivery report follows "
                                     "then.")
                    case NoRecipients(school=school):
                        lines.append(f"No family has a child at {school} yet: nothing was "
                                     "sent there.")
            return Reply("\n".join(lines))


def contact(result: ContactShared | NoSchool | NotAllowed) -> Reply:
    match result:
        case NotAllowed():
            return Reply("/contact is for the program's coaches, to tell their school's "
                         "families how to reach them.")
        case NoSchool():
            return Reply("You coach no school in this program, so there is nobody to share "
                         "a contact with.")
        case ContactShared(schools=schools, contact=None):
            return Reply(f"OK, I no longer share a contact for {', '.join(schools)}.")
        case ContactShared(schools=schools, contact=shared):
            return Reply(f"✅ Families of {', '.join(schools)} asking who their coach is, or "
                         f"about practice times or rain delays, now also get:\n\n{shared}\n\n"
                         "/contact off stops it.")


def contact_usage() -> Reply:
    return Reply("Write what families should know after the command, for example: /contact "
                 "Coach Kim, kim@school.org. Practice Tue & Thu 3:15 at the back field; rain "
                 "delays are posted here. /contact off stops sharing it.")


def schools(program: Program, listed: Sequence[str]) -> Reply:
    """/schools: the program's list, offered in /addkid."""
    if not listed:
        return Reply(f"{program.short_name} has no list of schools: families type their "
                     "school's name. Organizers add one with /addschool NAME.")
    return Reply(f"🏫 Schools in {program.short_name}:\n" + "\n".join(f"• {s}" for s in listed))


def school_added(result: SchoolAdded | AlreadyListed | NotASchoolName | NotAnOrganizerHere
                 ) -> Reply:
    match result:
        case SchoolAdded(name=name, schools=listed):
            return Reply(f"✅ {name} is on the list ({len(listed)} schools). /addkid offers it "
                         "to families, and a name typed close to it counts as it.")
        case AlreadyListed(name=name):
            return Reply(f"{name} is on the list already.")
        case NotASchoolName():
            return Reply("Add a school with its name, for example: /addschool Lincoln "
                         "Elementary")
        case NotAnOrganizerHere():
            return Reply("Only this program's organizers add schools. /schools lists them.")
