"""End to end: an organizer writes an announcement, previews it, sends it or schedules it;
families receive it through the outbox; the organizer gets the report."""

from __future__ import annotations

from storage import chat_states
from storage.models import utcnow
from tests.chat import PARENT, labels, presses, says
from tests.fake_bot_api import FakeBotApi

ORGANIZER = 777  # in ORGANIZER_IDS (tests/conftest.py)


async def family_at(api: FakeBotApi, chat: int, school: str) -> None:
    await says(api, "/start kroc", chat=chat)
    [ask_grade] = await says(api, "/addkid Emma", chat=chat)
    await presses(api, ask_grade, "2", chat=chat)
    await says(api, school, chat=chat)


async def test_only_organizers_may_announce(fake_api, running_bot) -> None:  # type: ignore[no-untyped-def]
    await says(fake_api, "/start kroc")
    [refused] = await says(fake_api, "/announce")
    assert refused["text"].startswith("Sorry, announcements are for this program's organizers.")
    [refused] = await says(fake_api, "/announcements")
    assert refused["text"].startswith("Sorry, announcements are for this program's organizers.")


async def test_an_announcement_to_one_school_is_delivered_and_reported(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await family_at(fake_api, PARENT, "Lincoln")
    await family_at(fake_api, 502, "Adams")
    await says(fake_api, "/start kroc", chat=ORGANIZER)
    [ask] = await says(fake_api, "/announce", chat=ORGANIZER)
    assert ask["text"].startswith("📣 What should the announcement to KROC families say?")
    [audience] = await says(fake_api, "Practice moves to the big field!", chat=ORGANIZER)
    assert labels(audience) == ["Everyone in KROC", "One school", "Families behind pace",
                                "Cancel"]
    [which] = await presses(fake_api, audience, "One school", chat=ORGANIZER)
    assert which["text"].startswith("Which school?")
    [preview] = await says(fake_api, "lincoln", chat=ORGANIZER)
    assert preview["text"] == ("Preview, to families of lincoln (1 chat today):\n\n"
                               "Practice moves to the big field!")
    before = len(fake_api.sent(PARENT))
    [queued] = await presses(fake_api, preview, "Send now", chat=ORGANIZER)
    assert queued["text"].startswith("✅ Sending to families of lincoln now.")
    [news] = (await fake_api.wait_for_messages(PARENT, before + 1))[before:]
    assert news["text"] == "Practice moves to the big field!"
    reports = await fake_api.wait_for_messages(ORGANIZER, len(fake_api.sent(ORGANIZER)) + 1)
    assert reports[-1]["text"] == ("📣 Your announcement “Practice moves to the big field!” to "
                                   "families of lincoln is out: 1 sent, 0 blocked the bot, "
                                   "0 failed.")
    assert "big field" not in " ".join(m["text"] for m in fake_api.sent(502))


async def test_a_scheduled_announcement_is_listed_and_can_be_cancelled(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc", chat=ORGANIZER)
    await says(fake_api, "/announce", chat=ORGANIZER)
    [audience] = await says(fake_api, "Pizza party Friday!", chat=ORGANIZER)
    [preview] = await presses(fake_api, audience, "Everyone in KROC", chat=ORGANIZER)
    [when] = await presses(fake_api, preview, "Schedule…", chat=ORGANIZER)
    assert when["text"].startswith("When should it go out?")
    [bad] = await says(fake_api, "someday", chat=ORGANIZER)
    assert bad["text"].startswith("I couldn't read that as a time in the future.")
    [past] = await says(fake_api, "2020-01-01 09:00", chat=ORGANIZER)
    assert past["text"] == bad["text"]  # the CLI's --at refuses it too (tests/test_cli_announce.py)
    [done] = await says(fake_api, "2099-01-01 09:00", chat=ORGANIZER)
    assert done["text"].startswith("✅ Scheduled for Thu Jan 1, 09:00 to all KROC families.")
    [listed] = await says(fake_api, "/announcements", chat=ORGANIZER)
    assert "Pizza party Friday!" in listed["text"]
    [cancelled] = await presses(fake_api, listed, labels(listed)[0], chat=ORGANIZER)
    assert cancelled["text"].startswith("Cancelled announcement #")
    [empty] = await says(fake_api, "/announcements", chat=ORGANIZER)
    assert empty["text"].startswith("No announcements are scheduled.")


async def test_a_parent_is_answered_at_once_while_a_broadcast_is_going_out(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    from sqlalchemy import insert

    from storage.models import Chat, utcnow

    services = running_bot.bot_data["services"]
    now = utcnow()
    async with services.db.session() as session, session.begin():
        await session.execute(insert(Chat), [
            {"id": chat_id, "kind": "private", "program": "kroc", "active": True,
             "created_at": now, "updated_at": now} for chat_id in range(10_000, 10_300)])
    await services.announcing.schedule("kroc", "Race day is Saturday!")
    await fake_api.wait_until(lambda: any(  # the broadcast has started
        c.params.get("text") == "Race day is Saturday!" for c in fake_api.calls))
    await says(fake_api, "/start kroc")
    [answer] = await says(fake_api, "can grandma come watch")
    assert "Family and friends are welcome" in answer["text"]
    broadcast = [c for c in fake_api.calls if c.params.get("text") == "Race day is Saturday!"]
    assert len(broadcast) < 150  # answered long before the 300 (10 s at 30/s) were out


async def test_announcing_in_the_middle_of_adding_a_child_leaves_that_behind(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc", chat=ORGANIZER)
    [ask_name] = await says(fake_api, "/addkid", chat=ORGANIZER)
    assert "first name" in ask_name["text"]
    [ask_text] = await says(fake_api, "/announce", chat=ORGANIZER)
    assert ask_text["text"].startswith("📣 What should the announcement")
    [stopped] = await says(fake_api, "/cancel", chat=ORGANIZER)
    assert stopped["text"] == "OK, nothing was sent."
    [thanks] = await says(fake_api, "Thanks Bob", chat=ORGANIZER)
    assert not thanks["text"].startswith("I need just a first name")


async def announcements_kept(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Every announcement written, whatever became of it."""
    from sqlalchemy import select

    from storage.models import Announcement

    async with app.bot_data["services"].db.session() as session:
        return list(await session.scalars(select(Announcement.text)))


async def questions_kept(app) -> list[str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from storage.models import Question

    async with app.bot_data["services"].db.session() as session:
        return list(await session.scalars(select(Question.text)))


async def preview_of(api: FakeBotApi, text: str) -> dict:  # type: ignore[type-arg]
    await says(api, "/start kroc", chat=ORGANIZER)
    await says(api, "/announce", chat=ORGANIZER)
    [audience] = await says(api, text, chat=ORGANIZER)
    [preview] = await presses(api, audience, "Everyone in KROC", chat=ORGANIZER)
    return preview


async def test_an_announcement_longer_than_one_message_is_refused_with_its_length(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc", chat=ORGANIZER)
    await says(fake_api, "/announce", chat=ORGANIZER)
    too_long = ("Bring water and a snack. " * 200).strip() + "!"
    assert len(too_long) == 5000
    [refused] = await says(fake_api, too_long, chat=ORGANIZER)
    assert refused["text"] == ("That's 5,000 characters, and one Telegram message holds at most "
                               "4,096. Please shorten it by 904 and send it again. "
                               "(/cancel to stop)")
    [audience] = await says(fake_api, "Bring water and a snack!", chat=ORGANIZER)  # still asked
    assert labels(audience)[0] == "Everyone in KROC"
    [preview] = await presses(fake_api, audience, "Everyone in KROC", chat=ORGANIZER)
    assert preview["text"].endswith("\n\nBring water and a snack!")
    assert await announcements_kept(running_bot) == []


async def test_an_announcement_of_a_whole_message_goes_out_whole(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await family_at(fake_api, PARENT, "Lincoln")
    longest = ("Bring water and a snack. " * 164)[:4095] + "!"
    assert len(longest) == 4096
    preview = await preview_of(fake_api, longest)
    assert len(preview["text"]) <= 4096  # the preview's first line leaves less room: cut
    assert preview["text"].endswith("…\n\n(The preview stops here; the announcement goes out "
                                    "whole, 4,096 characters.)")
    before = len(fake_api.sent(PARENT))
    [queued] = await presses(fake_api, preview, "Send now", chat=ORGANIZER)
    assert queued["text"].startswith("✅ Sending to all KROC families now.")
    [news] = (await fake_api.wait_for_messages(PARENT, before + 1))[before:]
    assert news["text"] == longest


async def test_announce_again_at_the_preview_starts_a_fresh_draft(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    old = await preview_of(fake_api, "Pizza party Friday!")
    [fresh] = await says(fake_api, "/announce", chat=ORGANIZER)
    assert fresh["text"].startswith("📣 Starting over: the unfinished announcement is dropped.")
    assert "What should the announcement to KROC families say?" in fresh["text"]
    [stale] = await presses(fake_api, old, "Send now", chat=ORGANIZER)
    assert stale["text"].startswith("That button is from an older message")
    assert await announcements_kept(running_bot) == []
    [audience] = await says(fake_api, "Pizza party Saturday!", chat=ORGANIZER)
    [preview] = await presses(fake_api, audience, "Everyone in KROC", chat=ORGANIZER)
    [queued] = await presses(fake_api, preview, "Send now", chat=ORGANIZER)
    assert queued["text"].startswith("✅ Sending to all KROC families now.")
    assert await announcements_kept(running_bot) == ["Pizza party Saturday!"]


async def test_cancel_or_stop_at_any_step_sends_nothing(fake_api, running_bot) -> None:  # type: ignore[no-untyped-def]
    preview = await preview_of(fake_api, "Pizza party Friday!")
    [stopped] = await says(fake_api, "stop", chat=ORGANIZER)
    assert stopped["text"] == "OK, nothing was sent."
    [stale] = await presses(fake_api, preview, "Send now", chat=ORGANIZER)
    assert stale["text"].startswith("That button is from an older message")
    await says(fake_api, "/announce", chat=ORGANIZER)
    await says(fake_api, "Race day!", chat=ORGANIZER)
    [stopped] = await says(fake_api, "/cancel", chat=ORGANIZER)
    assert stopped["text"] == "OK, nothing was sent."
    [nothing] = await says(fake_api, "/cancel", chat=ORGANIZER)
    assert nothing["text"].startswith("There's nothing to cancel")
    assert await announcements_kept(running_bot) == []
    assert await questions_kept(running_bot) == []


async def test_text_typed_where_a_button_is_wanted_is_asked_again(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    preview = await preview_of(fake_api, "Pizza party Friday!")
    [again] = await says(fake_api, "send now", chat=ORGANIZER)
    assert again["text"] == "Please choose with the buttons above, or /cancel to stop."
    [queued] = await presses(fake_api, preview, "Send now", chat=ORGANIZER)
    assert queued["text"].startswith("✅ Sending to all KROC families now.")
    assert await questions_kept(running_bot) == []


async def test_adding_a_child_in_the_middle_of_an_announcement_drops_the_draft(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await says(fake_api, "/start kroc", chat=ORGANIZER)
    await says(fake_api, "/announce", chat=ORGANIZER)
    [audience] = await says(fake_api, "Pizza party Friday!", chat=ORGANIZER)
    [ask_name] = await says(fake_api, "/addkid", chat=ORGANIZER)
    assert ask_name["text"].startswith("Let's add your child!")
    [ask_grade] = await says(fake_api, "Emma", chat=ORGANIZER)
    assert ask_grade["text"] == "Which grade is Emma in?"
    [stale] = await presses(fake_api, audience, "Everyone in KROC", chat=ORGANIZER)
    assert stale["text"].startswith("That button is from an older message")
    assert await announcements_kept(running_bot) == []


async def test_renaming_a_child_in_the_middle_of_an_announcement_drops_the_draft(  # type: ignore[no-untyped-def]
        fake_api, running_bot) -> None:
    await family_at(fake_api, ORGANIZER, "Lincoln")
    [kids] = await says(fake_api, "/kids", chat=ORGANIZER)
    await says(fake_api, "/announce", chat=ORGANIZER)
    [ask] = await presses(fake_api, kids, "✏️ Emma", chat=ORGANIZER)
    assert ask["text"].startswith("What should I call Emma")
    [renamed] = await says(fake_api, "Emmy", chat=ORGANIZER)
    assert renamed["text"] == "✅ Renamed: Emmy (grade 2, Lincoln)."
    assert await announcements_kept(running_bot) == []


async def test_a_draft_lost_halfway_is_said_not_sent(fake_api, running_bot) -> None:  # type: ignore[no-untyped-def]
    preview = await preview_of(fake_api, "Pizza party Friday!")
    async with running_bot.bot_data["services"].db.session() as session, session.begin():
        await chat_states.save(session, ORGANIZER, None, utcnow())  # its saved state is gone
    [lost] = await presses(fake_api, preview, "Send now", chat=ORGANIZER)
    assert lost["text"].startswith("That button is from an older message")
    assert await announcements_kept(running_bot) == []
