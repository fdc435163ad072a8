"""The weekly chart: a child's miles per training week against the plan, as PNG bytes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from bot.domain.progress import DEFAULT_GOAL, format_miles
from bot.pictures.drawing import (
    BAND,
    FILL,
    FILL_LIGHT,
    INK,
    LINE,
    MAX_CHART_WEEKS,
    MUTED,
    new_figure,
    png,
    safe_text,
)
from bot.texts import pictures as words


def _week_of(day: date, start: date) -> int:
    """Training week of a day: week 1 is the 7 days from `start` (earlier days count in it)."""
    return max(1, (day - start).days // 7 + 1)


def weekly_chart_png(child: str, entries: Sequence[tuple[date, float]], *, start: date,
                     today: date, max_weeks: int = 12, min_weeks: int = 9,
                     goal: float = DEFAULT_GOAL) -> bytes:
    """Miles per training week as bars, with the 9-12 week plan's band and the running total.

    Week 1 is the 7 days from `start`; miles dated before it count in week 1. The x axis shows
    at least `max_weeks` weeks (more when today or an entry is later, up to 26; later miles are
    counted in the last week shown). The shaded band is the weekly miles of the plan, from
    goal/max_weeks to goal/min_weeks; the blue line (right axis) is the cumulative total at the
    end of each week up to today's.
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if goal <= 0 or not 0 < min_weeks <= max_weeks:
        raise ValueError("need a positive goal and 0 < min_weeks <= max_weeks")
    name = safe_text(child)
    current = _week_of(today, start) if today >= start else 0
    last_entry = max((_week_of(d, start) for d, _ in entries), default=1)
    weeks = min(MAX_CHART_WEEKS, max(max_weeks, current, last_entry))
    per_week = [0.0] * weeks
    for day, miles in entries:
        per_week[min(weeks, _week_of(day, start)) - 1] += miles
    per_week = [max(0.0, round(v, 2)) for v in per_week]
    total = max(0.0, round(math.fsum(m for _, m in entries), 2))

    fig = new_figure()
    fig.subplots_adjust(left=0.08, right=0.91, top=0.78, bottom=0.11)
    ax = fig.add_subplot()
    low, high = goal / max_weeks, goal / min_weeks
    ax.axhspan(low, high, color=BAND, alpha=0.55, zorder=0, linewidth=0)

    xs = list(range(1, weeks + 1))
    colors = [FILL_LIGHT if w == current else FILL for w in xs]
    bars = ax.bar(xs, per_week, color=colors, width=0.7, zorder=2)
    ax.bar_label(bars, labels=[format_miles(v) if v else "" for v in per_week], padding=3,
                 fontsize=11, color=INK)
    top = max([*per_week, high]) * 1.3
    ax.set_ylim(0, top)
    ax.set_xlim(0.4, weeks + 0.6)
    ax.set_xticks(xs)
    ax.set_xlabel(words.week_axis(start), fontsize=12)
    ax.set_ylabel(words.WEEK_MILES_AXIS, fontsize=12)
    ax.spines[["top"]].set_visible(False)
    ax.grid(axis="y", color="#e4e7eb", zorder=0)
    ax.set_axisbelow(True)

    ax2 = ax.twinx()
    ax2.set_ylim(0, max(goal, total) * 1.15)
    ax2.set_ylabel(words.TOTAL_AXIS, fontsize=12, color=LINE)
    ax2.tick_params(axis="y", colors=LINE)
    ax2.spines[["top"]].set_visible(False)
    ax2.axhline(goal, color=LINE, linestyle=":", linewidth=1.5)
    ax2.text(weeks + 0.5, goal, words.goal_line(goal), color=LINE, fontsize=10,
             ha="right", va="bottom", parse_math=False)
    shown = min(current, weeks)
    if shown:
        running, cumulative = 0.0, []
        for v in per_week[:shown]:
            running += v
            cumulative.append(running)
        ax2.plot(xs[:shown], cumulative, color=LINE, marker="o", linewidth=2, zorder=3)

    if not any(per_week):
        ax.text(0.5, 0.3, words.NO_MILES_YET, transform=ax.transAxes,
                ha="center", va="center", fontsize=16, color=MUTED, parse_math=False)
    fig.text(0.5, 0.95, words.chart_title(name), ha="center", va="center", fontsize=22,
             fontweight="bold", color=INK, parse_math=False)
    fig.text(0.5, 0.895, words.chart_summary(total, goal, current, max_weeks, start),
             ha="center", va="center", fontsize=15, color=INK, parse_math=False)
    handles = [
        Patch(facecolor=FILL, label=words.LEGEND_WEEK),
        *([Patch(facecolor=FILL_LIGHT, label=words.LEGEND_THIS_WEEK)]
          if 1 <= current <= weeks else []),
        Patch(facecolor=BAND, alpha=0.55,
              label=words.legend_plan(min_weeks, max_weeks, low, high)),
        Line2D([], [], color=LINE, marker="o", label=words.LEGEND_TOTAL),
    ]
    fig.legend(handles=handles, loc="center", bbox_to_anchor=(0.5, 0.83), ncol=len(handles),
               fontsize=10, frameon=False)
    return png(fig)
