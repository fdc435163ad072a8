"""The organizers' figures, in words (and a chart) for /figures and as CSV for the CLI."""

from __future__ import annotations

import csv
import io

from bot.domain.figures import Figures, NotAnOrganizerHere, SchoolFigures
from bot.pictures.figures_chart import figures_png
from bot.texts.reply import Reply

COLUMNS = ("school", "families", "children", "miles", "milestones", "behind")


def _line(f: SchoolFigures) -> str:
    behind = f", {f.behind} behind" if f.behind else ""
    return (f"{f.school or 'No school given'}: {f.families} "
            f"{'family' if f.families == 1 else 'families'}, {f.children} "
            f"{'child' if f.children == 1 else 'children'}, {f.miles:g} mi, "
            f"{f.milestones} milestones{behind}")


def text(figures: Figures) -> str:
    lines = [f"📊 {_line(figures.total)}"]
    lines += [f"• {_line(f)}" for f in figures.schools]
    return "\n".join(lines)


def figures(result: Figures | NotAnOrganizerHere) -> tuple[Reply, ...]:
    """The figures as text (every school, whatever their number), then the chart."""
    match result:
        case NotAnOrganizerHere():
            return (Reply("/figures is for this program's organizers."),)
        case Figures():
            if not result.total.children:
                return (Reply(f"No children in {result.program.short_name} yet."),)
            return (Reply(text(result)), Reply("Miles by school", photo=figures_png(
                result.program.short_name,
                [(f.school, f.miles, f.children, f.behind) for f in result.schools])))


def as_csv(figures: Figures) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for f in (*figures.schools, figures.total):
        writer.writerow([f.school, f.families, f.children, f"{f.miles:.2f}", f.milestones,
                         f.behind])
    return out.getvalue()
