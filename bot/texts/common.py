"""Replies any part of the bot may give: an unknown command, a button from an old message,
a message that is not text, and the apology when something broke."""

from __future__ import annotations

from bot.texts.help import EXAMPLE_CHILD
from bot.texts.reply import Reply


def unknown_command() -> Reply:
    return Reply("I don't know that command. Try /addkid, /progress, /history, /undo, /kids, "
                 "/reminders, /faq to browse topics, /program to choose your program, or /help "
                 "for all I can do.")


def stale_button() -> Reply:
    return Reply("That button is from an older message and no longer works. Type your question, "
                 "or browse topics with /faq.")


def non_text() -> Reply:
    return Reply("I can only read text for now 🙂 Type your question or the miles (“"
                 f"{EXAMPLE_CHILD} ran 1 mile”), or browse topics with /faq.")


def something_went_wrong() -> Reply:
    return Reply("Sorry, something went wrong on my side. Please try again in a moment.")
