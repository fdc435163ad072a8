"""The packet-pickup log as a printable PDF: one section per school (a page or more), each
child with a box to tick, their grade, total against the goal, milestones reached and entries.

Drawn with matplotlib's PDF backend (`PdfPages`) on plain `Figure`s, never pyplot (see
bot.pictures.drawing). Fonts are embedded as TrueType (`pdf.fonttype` 42), so the text can be
searched and copied; that setting is held in an `rc_context` only while the file is written
(process-wide, which suits the command line that prints it). Pages are US Letter, in points.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from bot.domain.pickup import PickupChild, PickupEntry, PickupLog, SchoolSection
from bot.pictures.drawing import DONE_INK, EDGE, INK, MUTED, safe_text
from bot.texts import pickup as words

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PAGE_W, PAGE_H = 612.0, 792.0
LEFT, RIGHT, INDENT = 40.0, 572.0, 18.0
BODY_TOP, BODY_BOTTOM = 690.0, 50.0
HEIGHTS = {"head": 20.0, "marks": 13.0, "entries": 12.5, "rule": 9.0}
COLUMNS = 3  # entries side by side
MAX_NAME, MAX_SCHOOL, MAX_TITLE, MAX_ACTIVITY = 40, 60, 90, 16
RULE = "#d9dee3"

RowKind = Literal["head", "marks", "entries", "rule"]


@dataclass(frozen=True)
class Row:
    """One line of a page: a child's name and total, their grade and milestones, up to
    COLUMNS of their entries (none: "no miles yet"), or the rule under them."""

    kind: RowKind
    child: PickupChild
    entries: tuple[PickupEntry, ...] = ()
    continued: bool = False  # the name line repeated atop a page their entries run onto


@dataclass
class Page:
    section: SchoolSection | None  # None: the log has no children at all
    continued: bool = False  # the school's section began on an earlier page
    rows: list[Row] = field(default_factory=list)

    @property
    def used(self) -> float:
        return sum(HEIGHTS[row.kind] for row in self.rows)


def _rows(child: PickupChild) -> list[Row]:
    chunks = [child.entries[i:i + COLUMNS] for i in range(0, len(child.entries), COLUMNS)]
    return [Row("head", child), Row("marks", child),
            *(Row("entries", child, chunk) for chunk in chunks or [()]), Row("rule", child)]


def paginate(log: PickupLog) -> list[Page]:
    """The pages: each school starts a page; a child is kept on one page when they fit on
    one, else their entries run on under their name repeated."""
    room = BODY_TOP - BODY_BOTTOM
    pages: list[Page] = []
    for section in log.sections:
        page = Page(section)
        pages.append(page)
        for child in section.children:
            rows = _rows(child)
            if page.rows and page.used + sum(HEIGHTS[r.kind] for r in rows) > room:
                page = Page(section, continued=True)
                pages.append(page)
            for row in rows:
                if page.used + HEIGHTS[row.kind] > room:
                    if row.kind == "rule":
                        break  # the page's end is rule enough
                    page = Page(section, True, [Row("head", child, continued=True)])
                    pages.append(page)
                page.rows.append(row)
    return pages or [Page(None)]


def pickup_log_pdf(log: PickupLog) -> bytes:
    """The printable pickup log, as PDF bytes."""
    import matplotlib
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    logging.getLogger("fontTools").setLevel(logging.WARNING)  # it tells of every font subset
    pages = paginate(log)
    title = words.document_title(log.program.name)
    buf = io.BytesIO()
    with (matplotlib.rc_context({"pdf.fonttype": 42}),
          PdfPages(buf, metadata={"Title": title, "Creator": "Final Mile"}) as pdf):
        for number, page in enumerate(pages, 1):
            fig = Figure(figsize=(PAGE_W / 72, PAGE_H / 72), facecolor="white")
            _draw(fig, log, page, number, len(pages))
            pdf.savefig(fig)
            fig.clear()
    return buf.getvalue()


def _text(ax: Axes, x: float, y: float, text: str, size: float, *, color: str = INK,
          bold: bool = False, ha: str = "left") -> None:
    ax.text(x, y, text, fontsize=size, color=color, ha=ha, va="center",
            fontweight="bold" if bold else "normal", parse_math=False)


def _draw(fig: Figure, log: PickupLog, page: Page, number: int, pages: int) -> None:
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, PAGE_W)
    ax.set_ylim(0, PAGE_H)
    ax.set_axis_off()
    _text(ax, LEFT, 758, safe_text(words.document_title(log.program.name), MAX_TITLE), 9,
          color=MUTED)
    section = page.section
    if section is None:
        heading = words.whole_program(_school(log.school))
        summary = words.nobody(_school(log.school))
    else:
        heading = words.school_heading(_school(section.school), page.continued)
        done = sum(child.done for child in section.children)
        summary = (f"{words.section_summary(len(section.children), done, log.program.goal_miles)}"
                   f".   {words.PICKED_UP}")
    _text(ax, LEFT, 734, heading, 18 if len(heading) <= 44 else 13, bold=True)
    _text(ax, LEFT, 714, summary, 9.5, color=MUTED)
    ax.plot([LEFT, RIGHT], [702, 702], color=EDGE, linewidth=0.8)
    y = BODY_TOP
    for row in page.rows:
        height = HEIGHTS[row.kind]
        _row(ax, row, y - height / 2, log.program.goal_miles)
        y -= height
    _text(ax, PAGE_W / 2, 28, words.footer(log.today, number, pages), 8, color=MUTED,
          ha="center")


def _school(school: str | None) -> str | None:
    return safe_text(school, MAX_SCHOOL) or None if school else None


def _row(ax: Axes, row: Row, mid: float, goal: float) -> None:
    from matplotlib.patches import Rectangle

    child, x = row.child, LEFT + INDENT
    if row.kind == "head":
        name = safe_text(child.name, MAX_NAME) or words.NAME_NOT_PRINTABLE
        if row.continued:
            name = words.continued(name)
        else:
            ax.add_patch(Rectangle((LEFT, mid - 5), 10, 10, fill=False, edgecolor=INK,
                                   linewidth=0.9))
        _text(ax, x, mid, name, 11, bold=True)
        _text(ax, RIGHT, mid, words.total(child.total, goal, child.done), 10,
              color=DONE_INK if child.done else INK, bold=child.done, ha="right")
    elif row.kind == "marks":
        _text(ax, x, mid, words.details(child.grade, child.reached), 9, color=MUTED)
    elif row.kind == "entries" and not row.entries:
        _text(ax, x, mid, words.NO_ENTRIES, 8.5, color=MUTED)
    elif row.kind == "entries":
        width = (RIGHT - x) / COLUMNS
        for column, entry in enumerate(row.entries):
            activity = safe_text(entry.activity, MAX_ACTIVITY) if entry.activity else None
            _text(ax, x + column * width, mid, words.entry(entry.day, entry.miles, activity),
                  8.5)
    else:
        ax.plot([x, RIGHT], [mid, mid], color=RULE, linewidth=0.5)
