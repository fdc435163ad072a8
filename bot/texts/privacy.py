"""What the bot says about families' data: /privacy, and erasing it all with /forget."""

from __future__ import annotations

from bot.callbacks import ConfirmForget, KeepFamily
from bot.domain.privacy import ConfirmationExpired, Erased, NothingKept
from bot.domain.programs import Program
from bot.texts.parsing import join_names
from bot.texts.reply import Button, Reply
from storage.erasure import Kept


def confirm_forget(kept: Kept, asked: int) -> Reply:
    """/forget asks first, saying what would go."""
    parts = []
    if kept.children:
        parts.append(f"your children ({join_names(kept.children, 'and')}) and their "
                     f"{kept.entries} mile {'entry' if kept.entries == 1 else 'entries'}")
    if kept.questions:
        parts.append(f"the {kept.questions} question{'s' if kept.questions != 1 else ''} "
                     "you asked")
    parts.append("your program and reminder settings, and what this chat sent me")
    return Reply(
        f"This erases everything I keep about your family: {'; '.join(parts)}. "
        "It can't be undone. Erase it all?",
        ((Button("Yes, erase everything", ConfirmForget(asked)),
          Button("No, keep it", KeepFamily())),))


def forgotten(result: Erased | NothingKept | ConfirmationExpired) -> str:
    """The pop-up after erasing: a message in the chat would be kept data again."""
    match result:
        case ConfirmationExpired():
            return "This button is too old, so nothing was erased. /forget asks again."
        case Erased():
            return ("Done: everything I kept about your family is erased. If you write to me "
                    "again, I'll start fresh.")
        case NothingKept():
            return "There's nothing to erase: I keep nothing about this chat."


def kept() -> Reply:
    return Reply("OK, nothing was erased.")


def privacy(program: Program | None, updates_days: float) -> Reply:
    """/privacy: what is stored, why, for how long, in plain words."""
    who = program.fallback_contact if program else "your program's organizers"
    days = program.question_asker_days if program else Program.question_asker_days
    return Reply(
        "🔒 What I keep, and why:\n\n"
        "• Your children's first names, last initial, grade and school: to keep their "
        "training log, and so organizers can hand out race packets. Kept until you remove a "
        "child (/kids) or erase everything (/forget).\n"
        "• The miles you log, with the message they came in: that is the training log. Kept "
        "until you delete them (/history), remove the child, or /forget.\n"
        "• Questions you ask me: to answer them, and so organizers can see what the FAQ is "
        f"missing. Organizers see the questions, never who asked, and after {days:g} days I "
        "forget who asked too.\n"
        "• Your program, reminder choice and the messages I send you, so I can write to you.\n"
        f"• What you send me is kept {updates_days:g} days after I've handled it, so nothing "
        "is lost if I restart.\n\n"
        "Organizers see children's first names and last initials, grades, schools and miles, "
        "nothing else. Nothing is shared with anyone outside the program, and my logs carry "
        "no names or messages.\n\n"
        f"/forget erases everything about your family at once. Questions: {who}.")
