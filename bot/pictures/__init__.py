"""Pictures of a child's progress, as PNG bytes: the Training Log and the weekly chart.

`drawing` holds what both share (colors, safe text, a figure without pyplot); each picture
has its own module. `pickup_log` prints the packet-pickup log as a PDF (imported on its own by
the command that writes it).
"""

from bot.pictures.drawing import FILL
from bot.pictures.training_log import training_log_png
from bot.pictures.weekly_chart import weekly_chart_png

__all__ = ["FILL", "training_log_png", "weekly_chart_png"]
