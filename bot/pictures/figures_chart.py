"""The organizers' figures as a picture: miles per school as bars, each labelled with its
children and how many are behind the plan."""

from __future__ import annotations

from collections.abc import Sequence

from bot.pictures.drawing import FILL, INK, MUTED, new_figure, png, safe_text

MAX_SCHOOLS = 12  # bars on one picture; the rest are summed as "Other schools"


def figures_png(program: str, schools: Sequence[tuple[str, float, int, int]]) -> bytes:
    """`schools`: (name, miles, children, behind), biggest first."""
    shown = list(schools[:MAX_SCHOOLS])
    rest = schools[MAX_SCHOOLS:]
    if rest:
        shown.append(("Other schools", sum(s[1] for s in rest), sum(s[2] for s in rest),
                      sum(s[3] for s in rest)))
    fig = new_figure()
    fig.subplots_adjust(left=0.34, right=0.95, top=0.86, bottom=0.1)
    ax = fig.add_subplot()
    names = [safe_text(name) or "No school given" for name, *_ in shown][::-1]
    miles = [m for _, m, _, _ in shown][::-1]
    bars = ax.barh(names, miles, color=FILL, height=0.6)
    ax.bar_label(bars, labels=[f"{m:g} mi · {c} kids" + (f" · {b} behind" if b else "")
                               for _, m, c, b in shown][::-1],
                 padding=4, fontsize=11, color=INK)
    ax.set_xlim(0, max([*miles, 1.0]) * 1.45)
    ax.set_xlabel("miles logged", color=MUTED)
    ax.tick_params(colors=INK, labelsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.suptitle(f"{safe_text(program, 60)}: miles by school", fontsize=16, color=INK)
    return png(fig)
