"""What both progress pictures share: colors, size, safe text and a thread-safe figure.

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
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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


@functools.cache
def drawable() -> frozenset[int]:
    """Code points the default font can draw, in both the regular and the bold face."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    charmaps = []
    for weight in ("normal", "bold"):
        path = font_manager.findfont(font_manager.FontProperties(weight=weight))
        charmaps.append(set(FT2Font(path).get_charmap()))
    return frozenset(set.intersection(*charmaps))


def safe_text(text: str, limit: int = MAX_NAME_CHARS) -> str:
    """User text made drawable: no control characters, no glyphs the font lacks, not too long."""
    glyphs = drawable()
    kept = []
    for ch in text:
        if ch.isspace():
            kept.append(" ")
        elif unicodedata.category(ch).startswith("C"):
            continue
        elif ord(ch) in glyphs:
            kept.append(ch)
    cleaned = " ".join("".join(kept).split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned


def new_figure() -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    try:
        fig.savefig(buf, format="png", dpi=DPI, facecolor="white",
                    metadata={"Software": None})
    finally:
        fig.clear()
    return buf.getvalue()
