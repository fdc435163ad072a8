"""What the bot tells people it can do: the welcome, /help, and organizers' own help.

Families meet two features here: the FAQ and the training log. The list is short enough to
read on a phone, and every command it names is in the command menu (a test checks).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.domain.guide import HelpFacts, Welcome
from bot.domain.programs import Program
from bot.texts.reply import Reply

EXAMPLE_CHILD = "Emma"


def _no_child_yet(children: Sequence[str] | None) -> bool:
    """Only a family known to have no child yet (None: not looked up) is told to add one."""
    return children is not None and not children


def _example(children: Sequence[str] | None) -> str:
    return children[0] if children else EXAMPLE_CHILD


def _training(children: Sequence[str] | None) -> str:
    """The training log, one command a line."""
    name = _example(children)
    first = ("👉 Start by adding your child: /addkid\n" if _no_child_yet(children) else "")
    last = ("" if _no_child_yet(children) else
            "\n/addkid: add another child" if children else "\n/addkid: add a child")
    return (
        f"{first}"
        f"🏃 Log miles by just telling me: “{name} ran 1 mile”, “4 laps yesterday” "
        f"(or /log {name} 1.5)\n"
        "/progress: miles so far and the colored training log\n"
        "/history: what's logged, to fix a mistake\n"
        "/undo: take back the last log\n"
        "/kids: your children, to rename or remove one\n"
        "/reminders: a nudge when no miles were logged for a few days"
        f"{last}"
    )


def _contact(program: Program | None) -> str:
    who = program.fallback_contact if program else "your program's organizers"
    return f"For anything urgent, contact {who}."


def welcome(facts: Welcome, adding: bool = False) -> Reply:
    """After joining a program: what a family can do there, starting with a child if none.
    `adding`: joined on the way through /addkid, whose next question follows at once."""
    program, children = facts.program, facts.children
    first = "Welcome back to" if facts.returning else "Welcome to"
    examples = " or ".join(f"“{e.question}”" for e in facts.kb.entries[1:3])
    start = ("🏃 Once your child is added, just tell me the miles" if adding else
             "👉 Start by adding your child: /addkid\nThen just tell me the miles"
             if _no_child_yet(children) else "🏃 Just tell me the miles")
    return Reply(
        f"{first} {program.name}! 👟\n\n"
        f"{start}: “{_example(children)} ran 1 mile” or “4 laps yesterday”. /progress shows "
        "the colored training log; /history, /undo and /kids fix mistakes; /reminders turns "
        "nudges on or off.\n\n"
        f"❓ Ask me anything about the program in your own words, for example {examples}\n"
        "/faq browses every topic, /program switches program, /help shows what I can do.\n\n"
        f"{_contact(program)}"
    )


def family_help(program: Program | None, children: Sequence[str] | None = None) -> Reply:
    """/help for a family (and the answer to "what can you do?")."""
    name = program.short_name if program else "your program"
    return Reply(
        f"I answer parents' questions about {name}. I also keep your children's training log.\n\n"
        f"{_training(children)}\n\n"
        "❓ Ask any question in your own words, typos and all, like “arival time?” or "
        "“can grandma watch”.\n"
        "/faq: browse all topics\n"
        "/program: choose or switch your program\n"
        "/privacy: what I keep and why; /forget erases it all\n"
        "/start: start over\n"
        "/whoami: your Telegram id, to become an organizer\n"
        "/help: this message\n\n"
        "If I can't answer, I pass your question on to the organizers. "
        f"{_contact(program)}"
    )


def organizer_help(program: Program | None, children: Sequence[str] | None = None) -> Reply:
    """/help for an organizer: the family help, then their own commands and tools."""
    slug = program.slug if program else "SLUG"
    family = family_help(program, children).text
    return Reply(
        f"{family}\n\n"
        "📣 For organizers\n"
        "/announce: write a message, choose everyone, one school or families behind pace, "
        "see a preview, then send now or schedule it for later\n"
        "/announcements: scheduled announcements, to cancel one\n"
        "/roster: the children by school, with miles and who is behind\n"
        "/figures: families, children, miles and milestones per school, with a chart\n"
        "/review: teach the FAQ: accept, edit or reject wordings parents taught it, and "
        "attach the questions it couldn't answer to an entry, or write a new one\n"
        "/invite coach SCHOOL or /invite organizer: a one-time link that makes whoever opens "
        "it a coach of that school or an organizer\n\n"
        "🛠 On the server\n"
        f"finalmile announce --program {slug} --text \"…\": the same, from a script "
        "(--school, --at)\n"
        f"finalmile export --program {slug} --csv miles.csv: children and miles, for packet "
        "pickup (--csv - writes to standard output)\n"
        f"finalmile faq unanswered --program {slug}: questions I couldn't answer\n"
        f"finalmile invite --program {slug} --role coach --school NAME: an invite link"
    )


def help_for(facts: HelpFacts) -> Reply:
    """/help: the family help, and an organizer's own after it."""
    if facts.organizer:
        return organizer_help(facts.program, facts.children)
    return family_help(facts.program, facts.children)
