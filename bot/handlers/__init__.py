"""Handlers, registered in one ordered place: in PTB the first matching handler wins."""

from __future__ import annotations

from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import callbacks as cb
from bot.handlers import (
    addkid,
    announce,
    ask,
    browse,
    kids,
    miles,
    misc,
    privacy,
    review,
    review_flow,
    staff,
    start,
)

NON_TEXT = (
    filters.Sticker.ALL | filters.PHOTO | filters.VOICE | filters.AUDIO | filters.VIDEO
    | filters.VIDEO_NOTE | filters.ANIMATION | filters.Document.ALL | filters.LOCATION
    | filters.CONTACT | filters.POLL | filters.Dice.ALL
)


def register(app: Application) -> None:
    # Group -5: edits of messages already handled are ignored; an edited "/log 2" must not log
    #    again, and an edited question was answered already.
    app.add_handler(MessageHandler(filters.UpdateType.EDITED, misc.ignore), group=-5)
    # Groups -4 to -2: guided conversations (/review's typed steps; /announce; /addkid and
    #    renaming a child), each in its own group so a command that leaves one can start the
    #    other. While one waits for an answer, the answer stops there; anything else passes
    #    on. Its own command (or button) again restarts it; /cancel, "cancel" or "stop" ends it
    #    (bot.handlers.common). /addkid in a chat without a program waits for the program
    #    button: that press goes on with /addkid here; any other program press reaches group
    #    0's program_chosen.
    app.add_handler(review_flow.conversation(), group=-4)
    app.add_handler(announce.conversation(), group=-3)
    app.add_handler(addkid.conversation(), group=-2)
    # Group -1: text no conversation took, before the text catch-all of group 0: "cancel"
    #    or "stop" (which, like /cancel, drops the chat's questions about miles), or a recent
    #    button's label typed instead of pressed (its buttons may be gone), is answered as
    #    such, never by the FAQ. Anything else passes on.
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND,
                                   misc.typed_label), group=-1)
    # Group 0, in order (the first handler that matches wins):
    # 1. Commands. Unknown commands last, so they never shadow a real one.
    app.add_handler(CommandHandler("start", start.start))
    app.add_handler(CommandHandler("program", start.switch_program))
    app.add_handler(CommandHandler("help", misc.show_help))
    app.add_handler(CommandHandler("whoami", misc.whoami))
    app.add_handler(CommandHandler("faq", browse.show_topics))
    app.add_handler(CommandHandler("kids", kids.show_kids))
    app.add_handler(CommandHandler("log", miles.log_command))
    app.add_handler(CommandHandler("undo", miles.undo_command))
    app.add_handler(CommandHandler("history", miles.history_command))
    app.add_handler(CommandHandler("progress", miles.progress_command))
    app.add_handler(CommandHandler("announcements", announce.list_scheduled))
    app.add_handler(CommandHandler("roster", staff.roster))
    app.add_handler(CommandHandler("notice", staff.notice))
    app.add_handler(CommandHandler("contact", staff.contact))
    app.add_handler(CommandHandler("schools", staff.schools))
    app.add_handler(CommandHandler("addschool", staff.add_school))
    app.add_handler(CommandHandler("figures", staff.figures))
    app.add_handler(CommandHandler("invite", staff.invite))
    app.add_handler(CommandHandler("review", review.show_review))
    app.add_handler(CommandHandler("reminders", misc.reminders))
    app.add_handler(CommandHandler("privacy", privacy.show_privacy))
    app.add_handler(CommandHandler("forget", privacy.forget_command))
    app.add_handler(CommandHandler("announce", misc.ignore))  # started in group -3 already
    app.add_handler(CommandHandler("cancel", misc.cancel))  # an open flow took it already
    app.add_handler(MessageHandler(filters.COMMAND, misc.unknown_command))
    # 2. Button presses, by the prefix of their callback data; anything else is a stale button.
    for action, callback in (
        (cb.ChooseProgram, start.program_chosen),
        (cb.Topic, browse.topic_chosen),
        (cb.AllTopics, browse.all_topics),
        (cb.ShowEntry, browse.entry_chosen),
        (cb.PickSuggestion, ask.suggestion_chosen),
        (cb.NoneOfThese, ask.suggestion_chosen),
        (cb.NotThis, ask.not_what_i_asked),
        (cb.RemoveKid, kids.remove_pressed),
        (cb.ConfirmRemoveKid, kids.remove_confirmed),
        (cb.KeepKid, kids.keep_pressed),
        (cb.ConfirmForget, privacy.forget_confirmed),
        (cb.KeepFamily, privacy.keep_pressed),
        (cb.ConfirmLog, miles.confirm_pressed),
        (cb.Undo, miles.undo_pressed),
        (cb.HistoryPage, miles.history_page),
        (cb.DeleteEntry, miles.delete_pressed),
        (cb.ConfirmDelete, miles.delete_confirmed),
        (cb.KeepEntry, miles.keep_pressed),
        (cb.WeeklyChart, miles.chart_pressed),
        (cb.CancelAnnouncement, announce.cancel_pressed),
        (cb.DecideCandidate, review.decide_pressed),
        (cb.WriteReview, misc.ignore),  # started in group -4 already (then heard by -3, -2)
        (cb.AttachGroup, review.attach_pressed),
        (cb.DismissGroup, review.dismiss_pressed),
        (cb.AttachTopic, review.attach_topic),
        (cb.AttachEntry, review.attach_entry),
    ):
        app.add_handler(CallbackQueryHandler(callback, pattern=action.pattern()))
    app.add_handler(CallbackQueryHandler(misc.stale_button))
    # The bot blocked, removed or let back in: whether the outbox may send to the chat.
    app.add_handler(ChatMemberHandler(misc.membership_changed,
                                      ChatMemberHandler.MY_CHAT_MEMBER))
    # A group that became a supergroup: its family moves to the new chat id.
    app.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, misc.group_migrated))
    # 3. Plain text: miles to log, else the FAQ. Edited messages are not answered again.
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, ask.question))
    # 4. Stickers, photos, voice...: a friendly word instead of silence.
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & NON_TEXT, misc.non_text))
    # 5. Whatever a handler raises: logged, and the user gets an apology, not a traceback.
    app.add_error_handler(misc.on_error)
