"""The command menus Telegram shows beside the text field: every command a family can use, and
for organizers theirs too, each with its one-line description. /help names the same commands
(tests/test_e2e_help.py checks); bot/app.py hands them to Telegram."""

from __future__ import annotations

FAMILY_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Choose your program and get started"),
    ("progress", "Miles so far and the training log"),
    ("log", "Log miles, e.g. /log Emma 1.5"),
    ("history", "Recent miles, to delete a mistake"),
    ("undo", "Undo the last log"),
    ("kids", "Your children: rename or remove"),
    ("addkid", "Add a child"),
    ("reminders", "Reminders on or off"),
    ("faq", "Browse all questions by topic"),
    ("program", "Switch to another program"),
    ("privacy", "What I keep about your family"),
    ("forget", "Erase everything about your family"),
    ("whoami", "Your Telegram id, to become an organizer"),
    ("help", "What I can do"),
)

ORGANIZER_COMMANDS: tuple[tuple[str, str], ...] = (
    ("roster", "Children by school, with their miles"),
    ("figures", "Figures per school, with a chart"),
    ("review", "Teach the FAQ: new wordings and unanswered questions"),
    ("invite", "A link that makes a coach or an organizer"),
    ("announce", "Send an announcement to families, now or later"),
    ("announcements", "List and cancel scheduled announcements"),
)
