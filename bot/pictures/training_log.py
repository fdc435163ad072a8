"""The paper Training Log, colored in: one numbered box per mile, as PNG bytes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.domain.progress import DEFAULT_GOAL, DEFAULT_MILESTONES, format_miles
from bot.pictures.drawing import (
    DONE_INK,
    DPI,
    EDGE,
    EMPTY,
    FILL,
    GOLD,
    GOLD_DARK,
    HEIGHT_IN,
    INK,
    MUTED,
    WIDTH_IN,
    new_figure,
    png,
    safe_text,
)
from bot.texts import pictures as words

if TYPE_CHECKING:
    from matplotlib.axes import Axes


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
    name = safe_text(child)
    boxes = max(1, math.ceil(round(goal, 2) - 1e-9))
    award_boxes = {math.ceil(round(m, 2) - 1e-9) for m in milestones if 0 < round(m, 2) < goal}

    fig = new_figure()
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_IN * DPI)
    ax.set_ylim(0, HEIGHT_IN * DPI)
    ax.set_axis_off()

    heading = safe_text(title, 60) if title is not None else words.log_title(name)
    ax.text(500, 660, heading, ha="center", va="center", fontsize=26, fontweight="bold",
            color=INK, parse_math=False)
    done = round(total, 2) >= round(goal, 2)
    ax.text(500, 617, words.log_summary(total, goal, done), ha="center", va="center",
            fontsize=18, fontweight="bold", color=DONE_INK if done else INK, parse_math=False)
    awards = [m for m in sorted(milestones) if 0 < round(m, 2) < goal]
    ax.text(500, 22, words.log_footer(awards), ha="center", va="center", fontsize=12,
            color=MUTED, parse_math=False)

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
            ax.text(x + side / 2, y + side * 0.32, words.FINAL_MILE, ha="center",
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
            ax.text(x + side / 2, y + side * 0.18, words.FINISH, ha="center", va="center",
                    fontsize=max(7.0, number_size * 0.42),
                    color="white" if full else GOLD_DARK, zorder=4, parse_math=False,
                    path_effects=None if full else [halo])
        if mile in award_boxes:
            _star(ax, x + side * 0.82, y + side * 0.82, max(10.0, side * 0.2))
    return png(fig)
