"""The progress pictures: the colored-in Training Log and the weekly chart, as PNG bytes."""

from __future__ import annotations

import io
import struct
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from matplotlib.image import imread

from bot.pictures import FILL, training_log_png, weekly_chart_png

START = date(2026, 1, 5)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk, which always comes first."""
    assert png.startswith(PNG_SIGNATURE)
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def pixels(png: bytes) -> np.ndarray:
    """The decoded picture as an (h, w, 3) array of 0-255 RGB values."""
    image = imread(io.BytesIO(png), format="png")
    return np.asarray(image[..., :3], dtype=float) * 255


def count_color(png: bytes, color: str, tolerance: float = 3) -> int:
    rgb = np.array(to_rgb(color)) * 255
    return int(np.all(np.abs(pixels(png) - rgb) <= tolerance, axis=-1).sum())


def assert_phone_sized(png: bytes) -> None:
    width, height = png_size(png)
    assert 800 <= width <= 1400
    assert 500 <= height <= 1000
    assert width > height
    assert pixels(png).shape[:2] == (height, width)


def daily(days: int, miles: float, first: date = START) -> list[tuple[date, float]]:
    return [(first + timedelta(days=i), miles) for i in range(days)]


# --- the Training Log ---------------------------------------------------------------------

@pytest.mark.parametrize("total", [0, 7.5, 25.2, 40])
def test_the_training_log_is_a_phone_sized_png(total: float) -> None:
    png = training_log_png("Emma", total)
    assert png.startswith(PNG_SIGNATURE)
    assert png_size(png) == (1000, 700)
    assert_phone_sized(png)


def test_an_empty_training_log_has_nothing_colored_in() -> None:
    assert count_color(training_log_png("Emma", 0), FILL) == 0


def test_ten_miles_color_in_more_of_the_log_than_two_miles() -> None:
    two = count_color(training_log_png("Emma", 2), FILL)
    ten = count_color(training_log_png("Emma", 10), FILL)
    assert two > 0
    assert ten > 4 * two


def test_a_partly_earned_mile_is_partly_colored_in() -> None:
    seven = count_color(training_log_png("Emma", 7), FILL)
    seven_and_a_half = count_color(training_log_png("Emma", 7.5), FILL)
    eight = count_color(training_log_png("Emma", 8), FILL)
    assert seven < seven_and_a_half < eight


def test_miles_past_the_goal_fill_the_log_and_no_more() -> None:
    done = count_color(training_log_png("Emma", 25.2), FILL)
    beyond = count_color(training_log_png("Emma", 40), FILL)
    assert done == beyond
    assert done > count_color(training_log_png("Emma", 25), FILL)


def test_the_training_log_accepts_another_goal_and_title() -> None:
    png = training_log_png("Emma", 3, goal=13.1, milestones=(5, 10, 13.1), title="Half way")
    assert_phone_sized(png)
    assert count_color(png, FILL) > 0


def test_names_with_emoji_and_dollar_signs_draw_without_warnings() -> None:
    # pytest turns warnings into errors: a missing glyph or a mathtext error would fail here
    png = training_log_png("Zoë 🏃‍♀️ $5 \n\t the_fast", 7.5)
    assert_phone_sized(png)
    chart = weekly_chart_png("李 🦄 $x^2$", daily(3, 1), start=START, today=START + timedelta(2))
    assert_phone_sized(chart)


def test_a_bad_total_is_drawn_as_zero() -> None:
    assert count_color(training_log_png("Emma", float("nan")), FILL) == 0
    assert count_color(training_log_png("Emma", -3), FILL) == 0


# --- the weekly chart ---------------------------------------------------------------------

def test_the_weekly_chart_with_no_entries_is_a_phone_sized_png() -> None:
    png = weekly_chart_png("Emma", [], start=START, today=START)
    assert_phone_sized(png)


def test_the_weekly_chart_draws_bars_for_the_miles_logged() -> None:
    empty = weekly_chart_png("Emma", [], start=START, today=START + timedelta(days=20))
    logged = weekly_chart_png("Emma", daily(14, 0.5), start=START,
                              today=START + timedelta(days=20))
    assert count_color(logged, FILL) > count_color(empty, FILL) + 5000


def test_the_weekly_chart_handles_many_entries_over_many_weeks() -> None:
    entries = daily(120, 0.25) + daily(30, 1, first=START - timedelta(days=10))
    entries += [(START + timedelta(days=400), 2)]  # far later: counted in the last week shown
    png = weekly_chart_png("Emma", entries, start=START, today=START + timedelta(days=130))
    assert_phone_sized(png)


def test_the_weekly_chart_before_the_start_day_still_draws() -> None:
    png = weekly_chart_png("Emma", [(START, 1)], start=START, today=START - timedelta(days=5))
    assert_phone_sized(png)


def test_pictures_render_side_by_side_in_threads() -> None:
    serial = [training_log_png("Emma", t) for t in (1, 5, 9.5, 20)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda t: training_log_png("Emma", t), (1, 5, 9.5, 20)))
    assert threaded == serial
