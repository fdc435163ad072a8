"""One child's progress: totals, milestones, pace and the /progress text."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from bot.domain.progress import (
    Progress,
    compute_progress,
    crossed_milestones,
    format_miles,
    percent,
    progress_bar,
)
from bot.texts.progress import EARLY_COMPLETION, progress_text

START = date(2026, 1, 5)


def on_day(day: int, *miles: float, child: str = "Emma") -> Progress:
    """Progress on training day `day` (1 = the start day), all miles logged on the start day."""
    return compute_progress(child, [(START, m) for m in miles], start=START,
                            today=START + timedelta(days=day - 1))


# --- totals and milestones ----------------------------------------------------------------

def test_the_total_is_the_sum_of_the_entries_rounded_to_hundredths() -> None:
    p = on_day(10, 1, 0.25, 2.5, 0.1, 0.2)
    assert p.total == 4.05
    assert p.remaining == 21.15
    assert p.fraction == pytest.approx(4.05 / 25.2)


def test_three_tenths_of_a_mile_make_exactly_point_three() -> None:
    p = compute_progress("Emma", [(START, 0.1)] * 3, milestones=(0.3, 1), start=START,
                         today=START)
    assert p.total == 0.3
    assert p.reached == (0.3,)
    assert p.next_milestone == 1
    assert p.to_next == 0.7


def test_fifty_tenths_of_a_mile_reach_the_five_mile_award() -> None:
    p = on_day(20, *([0.1] * 50))
    assert p.total == 5
    assert p.reached == (5,)
    assert p.next_milestone == 10
    assert p.to_next == 5


def test_milestones_reached_and_the_next_one_are_reported_in_order() -> None:
    p = compute_progress("Emma", [(START, 12)], milestones=(20, 5, 25.2, 10, 15), start=START,
                         today=START + timedelta(days=40))
    assert p.reached == (5, 10)
    assert p.next_milestone == 15
    assert p.to_next == 3


def test_past_the_goal_every_milestone_is_reached_and_none_is_next() -> None:
    p = on_day(50, 40)
    assert p.reached == (5, 10, 15, 20, 25.2)
    assert p.next_milestone is None
    assert p.to_next is None
    assert p.remaining == 0
    assert p.fraction == 1


def test_corrections_never_take_the_total_below_zero() -> None:
    p = on_day(5, 1, -3)
    assert p.total == 0
    assert p.pace == "not_started"


def test_crossing_ten_miles_crosses_the_ten_mile_milestone() -> None:
    assert crossed_milestones(9.5, 10.5, (5, 10, 15, 20, 25.2)) == (10,)


def test_going_back_down_after_an_undo_crosses_nothing() -> None:
    assert crossed_milestones(10.5, 9.5, (5, 10, 15, 20, 25.2)) == ()


def test_logging_again_after_an_undo_crosses_the_milestone_again() -> None:
    milestones = (5, 10, 15, 20, 25.2)
    assert crossed_milestones(9.5, 10.5, milestones) == (10,)
    assert crossed_milestones(10.5, 9.5, milestones) == ()
    assert crossed_milestones(9.5, 10.5, milestones) == (10,)


def test_a_milestone_counts_when_landed_on_exactly_but_not_when_started_from() -> None:
    assert crossed_milestones(4, 5, (5, 10)) == (5,)
    assert crossed_milestones(5, 6, (5, 10)) == ()
    assert crossed_milestones(7, 7, (5, 10)) == ()


def test_float_sums_land_on_a_milestone_exactly() -> None:
    after = 0.1 + 0.1 + 0.1  # 0.30000000000000004
    assert crossed_milestones(0.2, after, (0.3,)) == (0.3,)
    assert crossed_milestones(9.7, 9.7 + 0.1 + 0.1 + 0.1, (10,)) == (10,)
    almost = 4.999999999  # a float sum a hair under 5 still reaches it
    assert crossed_milestones(4, almost, (5,)) == (5,)


def test_one_big_log_crosses_several_milestones_in_order() -> None:
    assert crossed_milestones(3, 26, (25.2, 5, 20, 10, 15)) == (5, 10, 15, 20, 25.2)


# --- days, expected miles and pace --------------------------------------------------------

def test_days_training_count_the_start_day_and_are_zero_before_it() -> None:
    assert on_day(1).days_training == 1
    assert on_day(21).days_training == 21
    before = compute_progress("Emma", [], start=START, today=START - timedelta(days=3))
    assert before.days_training == 0
    assert before.expected_range == (0, 0)


def test_expected_miles_follow_the_twelve_and_nine_week_plans() -> None:
    assert on_day(21).expected_range == (6.3, 8.4)  # 25.2 * 21/84 and 25.2 * 21/63
    assert on_day(63).expected_range == (18.9, 25.2)
    assert on_day(100).expected_range == (25.2, 25.2)  # capped at the plans' ends


def test_no_miles_yet_is_not_started_whatever_the_date() -> None:
    assert on_day(1).pace == "not_started"
    assert on_day(30).pace == "not_started"


def test_keeping_close_to_the_twelve_week_plan_is_on_track() -> None:
    assert on_day(21, 7.5).pace == "on_track"
    assert on_day(30, 8).pace == "on_track"  # 12-week plan expects 9: within the 1-mile grace
    assert on_day(30, 12).pace == "on_track"  # exactly the 9-week plan


def test_more_than_a_mile_under_the_twelve_week_plan_is_behind() -> None:
    assert on_day(30, 7.9).pace == "behind"
    assert on_day(30, 3).pace == "behind"
    assert on_day(100, 24).pace == "behind"


def test_above_the_nine_week_plan_is_ahead() -> None:
    assert on_day(30, 12.5).pace == "ahead"
    assert on_day(1, 1).pace == "ahead"


def test_one_keen_first_day_is_ahead_but_not_far_ahead() -> None:
    assert on_day(3, 2).pace == "ahead"


def test_five_miles_over_the_nine_week_plan_is_far_ahead() -> None:
    assert on_day(30, 17).pace == "far_ahead"  # 9-week plan expects 12
    assert on_day(30, 16.9).pace == "ahead"
    assert on_day(1, 5.4).pace == "far_ahead"


def test_on_course_to_finish_within_six_weeks_is_far_ahead_after_two_weeks() -> None:
    assert on_day(14, 8.4).pace == "far_ahead"  # 25.2 * 14/42: a 6-week finish
    assert on_day(14, 8.3).pace == "ahead"
    assert on_day(13, 8.4).pace == "ahead"  # too early to call a trend


def test_reaching_the_goal_is_done_even_past_it() -> None:
    assert on_day(60, 25.2).pace == "done"
    assert on_day(10, 40).pace == "done"
    assert on_day(60, *([0.1] * 252)).pace == "done"


def test_miles_a_week_needed_spread_the_rest_over_the_twelve_weeks() -> None:
    assert on_day(1).per_week_needed == 2.1  # 25.2 over 12 weeks
    assert on_day(29, 9.2).per_week_needed == 2.0  # 16 miles over the last 8 weeks
    assert on_day(100, 20.2).per_week_needed == 5  # plan over: all that is left, this week
    assert on_day(60, 25.2).per_week_needed is None


def test_a_bad_goal_or_plan_is_refused() -> None:
    with pytest.raises(ValueError):
        compute_progress("Emma", [], goal=0, start=START, today=START)
    with pytest.raises(ValueError):
        compute_progress("Emma", [], start=START, today=START, min_weeks=13)


# --- numbers and the bar ------------------------------------------------------------------

@pytest.mark.parametrize(("miles", "text"), [
    (7.5, "7.5"), (7.500000001, "7.5"), (10.0, "10"), (25.2, "25.2"), (0.1 + 0.2, "0.3"),
    (0.25, "0.25"), (0, "0"), (-0.0, "0"), (1e-9, "0"), (26.2, "26.2"), (100, "100"),
])
def test_miles_print_without_float_noise(miles: float, text: str) -> None:
    assert format_miles(miles) == text


def test_the_bar_shows_the_share_of_the_goal_in_twelve_blocks() -> None:
    assert progress_bar(7.5 / 25.2) == "▓▓▓▓░░░░░░░░"
    assert progress_bar(0) == "░" * 12
    assert progress_bar(1) == "▓" * 12
    assert progress_bar(0.5, width=4) == "▓▓░░"


def test_the_bar_clamps_out_of_range_fractions() -> None:
    assert progress_bar(-1) == "░" * 12
    assert progress_bar(2.5) == "▓" * 12
    assert progress_bar(float("nan")) == "░" * 12


def test_the_bar_shows_any_progress_and_is_full_only_at_the_goal() -> None:
    assert progress_bar(0.001) == "▓" + "░" * 11
    assert progress_bar(0.99) == "▓" * 11 + "░"
    assert percent(0.001) == 1
    assert percent(25.1 / 25.2) == 99
    assert percent(1) == 100


# --- the /progress text -------------------------------------------------------------------

def test_the_progress_text_has_the_total_bar_and_next_milestone() -> None:
    text = progress_text(on_day(21, 7.5))
    lines = text.splitlines()
    assert lines[0] == "Emma: 7.5 of 25.2 miles"
    assert lines[1] == "▓▓▓▓░░░░░░░░ 30%"
    assert "Awards earned at 5 miles." in lines
    assert "Next milestone: 10 miles (2.5 to go)" in lines
    assert "on track for a 9-12 week plan" in text
    assert "week 3" in text


def test_the_text_lists_every_award_earned() -> None:
    text = progress_text(on_day(40, 15.5))
    assert "Awards earned at 5, 10 and 15 miles." in text
    assert "Next milestone: 20 miles (4.5 to go)" in text


def test_a_child_who_has_not_started_is_encouraged_to_run_the_first_mile() -> None:
    text = progress_text(on_day(1))
    assert "Emma: 0 of 25.2 miles" in text
    assert "0%" in text
    assert "mile 1" in text
    assert "Awards" not in text


def test_a_late_starter_learns_the_miles_a_week_that_still_finish() -> None:
    text = progress_text(on_day(29))
    assert "mile 1" in text
    assert "About 3.2 miles a week will finish within 12 weeks." in text  # 25.2 over 8 weeks


def test_a_child_behind_is_told_to_be_patient_with_the_miles_a_week_needed() -> None:
    p = on_day(30, 3)
    text = progress_text(p)
    assert "Be patient" in text
    assert "keep trying" in text
    assert p.per_week_needed == 2.83
    assert "about 2.9 miles a week" in text  # rounded up, so following it finishes in time
    assert EARLY_COMPLETION not in text


def test_a_child_behind_after_the_plan_ended_hears_the_miles_to_go() -> None:
    text = progress_text(on_day(100, 24))
    assert "keep trying" in text
    assert "1.2 miles to go" in text


def test_a_child_ahead_is_praised_and_reminded_not_to_overdo_it() -> None:
    text = progress_text(on_day(30, 12.5))
    assert "ahead of the 9-12 week plan" in text
    assert "not overdo it" in text
    assert EARLY_COMPLETION not in text


def test_a_child_far_ahead_hears_that_early_completion_is_not_recommended() -> None:
    text = progress_text(on_day(30, 17))
    assert "Early completion of the program is not recommended." in text
    assert "Saturdays and Sundays" in text
    assert "rest day" in text


def test_a_child_who_is_done_is_congratulated_and_told_about_the_event() -> None:
    text = progress_text(on_day(60, 25.2))
    assert "Emma: 25.2 of 25.2 miles" in text
    assert "▓" * 12 + " 100%" in text
    assert "Congratulations, Emma!" in text
    assert "final mile" in text.lower()
    assert "event" in text
    assert "Next milestone" not in text


def test_a_child_past_the_goal_sees_the_real_total() -> None:
    text = progress_text(on_day(60, 40))
    assert text.startswith("Emma: 40 of 25.2 miles\n")
    assert "100%" in text


@pytest.mark.parametrize("miles", [
    (), (0.1, 0.1, 0.1), (0.1,) * 75, (2.3, 2.3, 2.3, 0.7), (12.5,), (16.9, 0.1), (25.2,),
    (0.2,) * 200,
])
def test_no_text_shows_float_noise(miles: tuple[float, ...]) -> None:
    for day in (1, 14, 30, 70, 100):
        text = progress_text(on_day(day, *miles))
        assert not re.search(r"\d\.\d{3,}", text), text
        assert not re.search(r"\d\.0\b", text), text


def test_every_pace_has_its_own_message() -> None:
    cases = {"not_started": on_day(1), "behind": on_day(30, 3), "on_track": on_day(21, 7.5),
             "ahead": on_day(30, 12.5), "far_ahead": on_day(30, 17), "done": on_day(60, 25.2)}
    assert {pace: p.pace for pace, p in cases.items()} == {pace: pace for pace in cases}
    last_lines = {progress_text(p).splitlines()[-1] for p in cases.values()}
    assert len(last_lines) == len(cases)
