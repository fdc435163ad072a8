"""A reply as plain data: text, buttons (label and action) and an optional picture.

Handlers turn a `Reply` into a Telegram message; no Telegram import here.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.callbacks import ButtonData

BUTTON_LABEL_LIMIT = 60
TEXT_LIMIT = 4096  # Telegram's limits for a message and for a photo's caption
CAPTION_LIMIT = 1024


@dataclass(frozen=True)
class Button:
    label: str
    data: ButtonData


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    photo: bytes | None = None  # a PNG, sent as a photo with `text` as its caption


def label(text: str) -> str:
    """A button label short enough to read on a phone."""
    return text if len(text) <= BUTTON_LABEL_LIMIT else text[: BUTTON_LABEL_LIMIT - 1] + "…"


def fit(text: str, limit: int) -> str:
    """Telegram refuses longer texts outright; a shortened reply beats none."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def column(buttons: list[Button]) -> tuple[tuple[Button, ...], ...]:
    return tuple((b,) for b in buttons)
