"""Pictures of a child's progress, as PNG bytes: the Training Log and the weekly chart.

Built on `matplotlib.figure.Figure` with the Agg canvas directly, never `pyplot`: no global
figure state and no backend selection, so rendering is safe from several threads and nothing
leaks between calls. matplotlib is imported inside the functions, so importing this module
(and starting the bot) stays cheap.

Text uses matplotlib's default font (DejaVu Sans). Characters it cannot draw (emoji in a
child's name, say) are dropped before drawing, and user text is never read as mathtext.
"""

from __future__ import annotations

import functools
import io
import math
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.domain.progress import DEFAULT_GOAL, DEFAULT_MILESTONES, format_miles

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

WIDTH_IN, HEIGHT_IN, DPI = 10.0, 7.0, 100  # 1000 x 700 px: readable on a phone
FILL = "#2e9e5b"  # earned miles (tests count pixels of exactly this color)
DONE_INK = "#1e7a44"  # the "all done!" line (not FILL: tests count FILL pixels)
FILL_LIGHT = "#9fd8b5"  # the week in progress on the weekly chart
EMPTY = "#ffffff"
EDGE = "#9aa5b1"
INK = "#1f2d3d"
MUTED = "#52606d"
GOLD = "#f4b400"
GOLD_DARK = "#b8860b"
BAND = "#f9d77e"
LINE = "#3b6fd4"
MAX_NAME_CHARS = 30
MAX_CHART_WEEKS = 26


# --- text safety --------------------------------------------------------------------------

@functools.cache
def _drawable() -> frozenset[int]:
    """Code points the default font can draw, in both the regular and the bold face."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    charmaps = []
    for weight in ("normal", "bold"):
        path = font_manager.findfont(font_manager.FontProperties(weight=weight))
        charmaps.append(set(FT2Font(path).get_charmap()))
    return frozenset(set.intersection(*charmaps))


def _safe_text(text: str, limit: int = MAX_NAME_CHARS) -> str:
    """User text made drawable: no control characters, no glyphs the font lacks, not too long."""
    drawable = _drawable()
    kept = []
    for ch in text:
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch).startswith("C"):
            continue
        elif ord(ch) in drawable:
            kept.append(ch)
    cleaned = " ".join("".join(kept).split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def _possessive(name: str) -> str:
    return f"{name}'s" if name else "My"


# --- figure plumbing ----------------------------------------------------------------------

def _new_figure() -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=DPI, facecolor="white",
                    metadata={"Software": None})
    finally:
        fig.clear()
    return buf.getvalue()


# --- the Training Log ---------------------------------------------------------------------

def _grid(cells: int, width: float, height: float) -> tuple[int, int, float]:
    """Columns, rows and cell size that make the biggest square cells fitting the area."""
    best = (cells, 1, 0.0)
    for cols in range(1, cells + 1):
        rows = math.ceil(cells / cols)
        size = min(width / cols, height / rows)
        if size > best[2]:
            best = (cols, rows, size)
    return best


def _star(ax: Axes, x: float, y: float, size: float) -> None:
    ax.plot([x], [y], marker="*", markersize=size, color=GOLD, markeredgecolor=GOLD_DARK,
            markeredgewidth=1.2, zorder=5)


def training_log_png(child: str, total: float, *, goal: float = DEFAULT_GOAL,
                     milestones: Sequence[float] = DEFAULT_MILESTONES,
                     title: str | None = None) -> bytes:
    """The paper Training Log, colored in: one numbered box per mile.

    For 25.2 miles that is 25 "honor mile" boxes, a gold-edged last box for the final 0.2
    (labelled 25.2), and a dashed box for the final mile, run at the event (26.2). Earned miles
    are filled from the bottom (a partly earned mile partly filled); award milestones below the
    goal (5, 10, 15, 20) carry a star. Handles 0, fractions and totals above the goal.
    """
    from matplotlib import patheffects
    from matplotlib.patches import Rectangle

    if goal <= 0:
        raise ValueError("goal must be positive")
    total = max(0.0, round(float(total), 2)) if math.isfinite(total) else 0.0
    name = _safe_text(child)
    boxes = max(1, math.ceil(round(goal, 2) - 1e-9))
    award_boxes = {math.ceil(round(m, 2) - 1e-9) for m in milestones if 0 < round(m, 2) < goal}

    fig = _new_figure()
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_IN * DPI)
    ax.set_ylim(0, HEIGHT_IN * DPI)
    ax.set_axis_off()

    heading = _safe_text(title, 60) if title is not None else f"{_possessive(name)} Training Log"
    ax.text(500, 660, heading, ha="center", va="center", fontsize=26, fontweight="bold",
            color=INK, parse_math=False)
    done = round(total, 2) >= round(goal, 2)
    summary = f"{format_miles(total)} of {format_miles(goal)} miles"
    if done:
        summary += " - all done!"
    ax.text(500, 617, summary, ha="center", va="center", fontsize=18, fontweight="bold",
            color=DONE_INK if done else INK, parse_math=False)
    awards = [format_miles(m) for m in sorted(milestones) if 0 < round(m, 2) < goal]
    footer = "Color one box for every mile."
    if awards:
        listed = awards[0] if len(awards) == 1 else ", ".join(awards[:-1]) + " and " + awards[-1]
        footer += f"  Stars: an award at {listed} miles."
    ax.text(500, 22, footer, ha="center", va="center", fontsize=12, color=MUTED,
            parse_math=False)

    left, bottom, area_w, area_h = 30.0, 45.0, 940.0, 540.0
    cols, rows, cell = _grid(boxes + 1, area_w, area_h)
    x0 = left + (area_w - cols * cell) / 2
    y_top = bottom + area_h - (area_h - rows * cell) / 2
    halo = patheffects.withStroke(linewidth=4, foreground="white")  # dark digits on green
    pad = cell * 0.07
    side = cell - 2 * pad
    number_size = max(9.0, min(24.0, side * 0.2))

    for index in range(boxes + 1):
        col, row = index % cols, index // cols
        x = x0 + col * cell + pad
        y = y_top - (row + 1) * cell + pad
        if index == boxes:  # the final mile, run at the event
            ax.add_patch(Rectangle((x, y), side, side, facecolor="#fffaf0", edgecolor=GOLD_DARK,
                                   linewidth=2, linestyle=(0, (4, 3))))
            ax.text(x + side / 2, y + side * 0.66, format_miles(goal + 1), ha="center",
                    va="center", fontsize=number_size * 0.8, fontweight="bold",
                    color=GOLD_DARK, parse_math=False)
            ax.text(x + side / 2, y + side * 0.32, "Final Mile\nat the event", ha="center",
                    va="center", fontsize=max(7.0, number_size * 0.42), color=GOLD_DARK,
                    linespacing=1.2, parse_math=False)
            continue
        mile = index + 1
        low, high = mile - 1, min(float(mile), goal)
        filled = min(1.0, max(0.0, (total - low) / (high - low)))
        last = mile == boxes
        ax.add_patch(Rectangle((x, y), side, side, facecolor=EMPTY,
                               edgecolor=GOLD_DARK if last else EDGE,
                               linewidth=3 if last else 1.5, zorder=1))
        if filled > 0:
            ax.add_patch(Rectangle((x, y), side, side * filled, facecolor=FILL,
                                   edgecolor="none", linewidth=0, zorder=2))
        full = filled >= 1.0
        ax.text(x + side / 2, y + side / 2, format_miles(high), ha="center", va="center",
                fontsize=number_size * (0.85 if last else 1.0), fontweight="bold",
                color="white" if full else INK, zorder=4, parse_math=False,
                path_effects=None if full else [halo])
        if last:
            ax.text(x + side / 2, y + side * 0.18, "finish", ha="center", va="center",
                    fontsize=max(7.0, number_size * 0.42),
                    color="white" if full else GOLD_DARK, zorder=4, parse_math=False,
                    path_effects=None if full else [halo])
        if mile in award_boxes:
            _star(ax, x + side * 0.82, y + side * 0.82, max(10.0, side * 0.2))
    return _png(fig)


# --- the weekly chart ---------------------------------------------------------------------

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
    name = _safe_text(child)
    current = _week_of(today, start) if today >= start else 0
    last_entry = max((_week_of(d, start) for d, _ in entries), default=1)
    weeks = min(MAX_CHART_WEEKS, max(max_weeks, current, last_entry))
    per_week = [0.0] * weeks
    for day, miles in entries:
        per_week[min(weeks, _week_of(day, start)) - 1] += miles
    per_week = [max(0.0, round(v, 2)) for v in per_week]
    total = max(0.0, round(math.fsum(m for _, m in entries), 2))

    fig = _new_figure()
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
    ax.set_xlabel(f"Training week (week 1 starts {start:%b} {start.day})", fontsize=12)
    ax.set_ylabel("Miles that week", fontsize=12)
    ax.spines[["top"]].set_visible(False)
    ax.grid(axis="y", color="#e4e7eb", zorder=0)
    ax.set_axisbelow(True)

    ax2 = ax.twinx()
    ax2.set_ylim(0, max(goal, total) * 1.15)
    ax2.set_ylabel("Total miles", fontsize=12, color=LINE)
    ax2.tick_params(axis="y", colors=LINE)
    ax2.spines[["top"]].set_visible(False)
    ax2.axhline(goal, color=LINE, linestyle=":", linewidth=1.5)
    ax2.text(weeks + 0.5, goal, f"goal {format_miles(goal)}", color=LINE, fontsize=10,
             ha="right", va="bottom", parse_math=False)
    shown = min(current, weeks)
    if shown:
        running, cumulative = 0.0, []
        for v in per_week[:shown]:
            running += v
            cumulative.append(running)
        ax2.plot(xs[:shown], cumulative, color=LINE, marker="o", linewidth=2, zorder=3)

    if not any(per_week):
        ax.text(0.5, 0.3, "No miles logged yet: mile 1 is waiting!", transform=ax.transAxes,
                ha="center", va="center", fontsize=16, color=MUTED, parse_math=False)
    fig.text(0.5, 0.95, f"{name}: miles per week" if name else "Miles per week",
             ha="center", va="center", fontsize=22, fontweight="bold", color=INK,
             parse_math=False)
    if current == 0:
        when = f"starts {start:%b} {start.day}"
    elif current <= max_weeks:
        when = f"week {current} of {max_weeks}"
    else:
        when = f"week {current}"
    fig.text(0.5, 0.895, f"{format_miles(total)} of {format_miles(goal)} miles, {when}",
             ha="center", va="center", fontsize=15, color=INK, parse_math=False)
    handles = [
        Patch(facecolor=FILL, label="miles that week"),
        *([Patch(facecolor=FILL_LIGHT, label="this week so far")] if 1 <= current <= weeks else []),
        Patch(facecolor=BAND, alpha=0.55,
              label=f"{min_weeks}-{max_weeks} week plan: "
                    f"{format_miles(low)}-{format_miles(high)} miles a week"),
        Line2D([], [], color=LINE, marker="o", label="total so far"),
    ]
    fig.legend(handles=handles, loc="center", bbox_to_anchor=(0.5, 0.83), ncol=len(handles),
               fontsize=10, frameon=False)
    return _png(fig)
