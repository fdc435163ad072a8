"""How the bot answers a running total: the real total, and a button only for a day's gap."""

from __future__ import annotations

from bot.callbacks import ConfirmLog
from bot.domain.log_results import ChildTotal, TotalCheck
from bot.texts.totals import total_check

JACK = ChildTotal(2, "Jack T.", "Jack", 11.5, 2.5)


def test_a_days_gap_is_offered_on_a_button_that_logs_it() -> None:
    reply = total_check(TotalCheck(14.0, (JACK,), True, "tok", 10.0))
    assert reply.text.startswith("Jack T. has 11.5 miles logged so far, 2.5 miles short of 14.")
    [[log], [no]] = reply.buttons
    assert (log.label, log.data) == ("Log 2.5 more for Jack T.", ConfirmLog("tok", "2"))
    assert (no.label, no.data) == ("No", ConfirmLog("tok", "no"))
    assert all(len(b.data.pack().encode()) <= 64 for row in reply.buttons for b in row)


def test_more_than_a_days_gap_is_told_day_by_day_with_no_button() -> None:
    far = ChildTotal(2, "Jack", "Jack", 2.0, 18.0)
    reply = total_check(TotalCheck(20.0, (far,), True, None, 10.0))
    assert reply.text == ("Jack has 2 miles logged so far, 18 miles short of 20. That's more "
                          "than one day's 10 miles, so send them day by day, like “Jack ran 2 "
                          "miles yesterday”. /history shows what's logged.")
    assert reply.buttons == ()


def test_a_name_the_bot_does_not_know_is_said_before_the_childrens_totals() -> None:
    emma = ChildTotal(1, "Emma", "Emma", 14.0, 0.0)
    reply = total_check(TotalCheck(14.0, (emma, JACK), False, "tok", 10.0, ("Lily",)))
    assert reply.text == ("I don't know Lily (/addkid adds a child). Which child is at 14 miles? "
                          "Logged so far:\n• Emma: 14 miles (up to date)\n"
                          "• Jack T.: 11.5 miles (2.5 miles short)\n"
                          "Press a name to log the miles missing for today.")
    assert [b.label for row in reply.buttons for b in row] == ["Log 2.5 more for Jack T.", "No"]


def test_each_child_is_told_against_the_total_stated_for_them() -> None:
    emma = ChildTotal(1, "Emma", "Emma", 3.0, 1.0, 4.0)
    jack = ChildTotal(2, "Jack", "Jack", 12.0, 2.0, 14.0)
    reply = total_check(TotalCheck(14.0, (jack, emma), True, "tok", 10.0))
    assert "Jack has 12 miles logged so far, 2 miles short of 14." in reply.text
    assert "Emma has 3 miles logged so far, 1 mile short of 4." in reply.text
