"""What the bot says about conversations themselves: /cancel outside a flow, and a button's
label typed instead of pressed (its buttons may be gone)."""

from __future__ import annotations

from bot import callbacks as cb
from bot.texts.miles import not_logged
from bot.texts.reply import Reply

CANCEL_WORDS = frozenset({"cancel", "stop"})  # typed (not /cancel), they end an open flow

# What brings a button's step back once its buttons are gone, by the button's action. Only
# these labels are remembered: FAQ topics and questions are not, since typing one is asking it.
AGAIN: dict[type[cb.ButtonData], str] = {
    cb.ChooseProgram: "/program shows the programs",
    cb.NoneOfThese: "ask your question again in other words",
    cb.NotThis: "ask your question again in other words",
    cb.ConfirmLog: "send the miles again",
    cb.Undo: "/undo undoes the last log",
    cb.DeleteEntry: "/history lists your entries",
    cb.ConfirmDelete: "/history lists your entries",
    cb.KeepEntry: "/history lists your entries",
    cb.HistoryPage: "/history lists your entries",
    cb.WeeklyChart: "/progress shows the training log",
    cb.Grade: "/addkid adds a child",
    cb.School: "/addkid adds a child",
    cb.RenameKid: "/kids lists your children with their buttons",
    cb.RemoveKid: "/kids lists your children with their buttons",
    cb.ConfirmRemoveKid: "/kids lists your children with their buttons",
    cb.KeepKid: "/kids lists your children with their buttons",
    cb.ConfirmForget: "/forget asks again",
    cb.KeepFamily: "/forget asks again",
    cb.Audience: "/announce starts an announcement",
    cb.SendChoice: "/announce starts an announcement",
    cb.CancelAnnouncement: "/announcements lists the scheduled ones",
    cb.DecideCandidate: "/review shows what is waiting",
    cb.WriteReview: "/review shows what is waiting",
    cb.AttachGroup: "/review shows what is waiting",
    cb.DismissGroup: "/review shows what is waiting",
    cb.SaveEntry: "/review shows what is waiting",
}
_AGAIN_BY_PREFIX = {action.prefix: again for action, again in AGAIN.items()}
# the FAQ's topics and questions, and the review's (an organizer's new topic may be typed)
ASKED_BY_TYPING = (cb.AllTopics, cb.Topic, cb.ShowEntry, cb.PickSuggestion, cb.AttachTopic,
                   cb.AttachEntry, cb.EntryTopic)


def remembered(action: cb.ButtonData) -> bool:
    """Whether a typed copy of this button's label is answered as a button, not a question."""
    return type(action) in AGAIN


def stale_label(label: str, prefix: str) -> Reply:
    again = _AGAIN_BY_PREFIX.get(prefix, "/help shows what I can do")
    return Reply(f"“{label}” is a button: typing it doesn't press it. Press the button under my "
                 f"message if it's still there. If it's gone, that step is over: {again}.")


def cancelled(questions: int, waiting: bool = False) -> Reply:
    """/cancel, or "cancel" typed, that no open flow took: `questions` about miles dropped,
    and (`waiting`) a message that waited for the program to be chosen."""
    if waiting:
        return Reply("OK, I'll let your last message go: nothing was logged or asked.")
    return not_logged() if questions else nothing_to_cancel()


def nothing_to_cancel() -> Reply:
    """Nothing was open. Says only what is sure: an open /addkid or /announce takes /cancel
    itself, and the questions about miles (and a message waiting for a program) were just
    dropped. Other buttons, such as a delete's "Yes", stay pressable: so it never claims the
    bot waits for nothing at all."""
    return Reply("There's nothing to cancel: you're not adding a child, and no miles are "
                 "waiting for your answer.\n\n/reminders off stops reminders, and /help shows "
                 "what I can do.")
