"""What a chat remembers of the buttons it was shown: a label typed later is known as one,
however it is typed, for the last few keyboards only."""

from __future__ import annotations

from bot.context import KEYBOARDS_REMEMBERED, ChatData, TypedLabel

UNDO = TypedLabel("↩️ Undo", "undo")
CANCEL = TypedLabel("Cancel", "logok")


def test_a_typed_label_is_known_whatever_its_case_spacing_or_emoji() -> None:
    chat = ChatData()
    chat.remember([UNDO, CANCEL])
    assert [chat.typed_label(t) for t in ("undo", "  UNDO!", "↩️ undo", "cancel.")] == [
        UNDO, UNDO, UNDO, CANCEL]
    assert chat.typed_label("undo my last log") is None
    assert chat.typed_label("👍") is None  # nothing left to compare once folded


def test_only_the_last_few_keyboards_are_remembered_newest_first() -> None:
    chat = ChatData()
    chat.remember([UNDO])
    chat.remember([])  # a message without buttons is no keyboard
    newer = TypedLabel("Undo", "other")
    chat.remember([newer])
    assert chat.typed_label("undo") == newer
    for n in range(KEYBOARDS_REMEMBERED):
        chat.remember([TypedLabel(f"Label {n}", "x")])
    assert chat.typed_label("undo") is None
    assert chat.typed_label("label 0") == TypedLabel("Label 0", "x")


def test_every_button_is_either_remembered_or_a_question_when_typed() -> None:
    from bot.callbacks import ALL_ACTIONS
    from bot.texts.conversations import AGAIN, ASKED_BY_TYPING

    undecided = set(ALL_ACTIONS) - set(AGAIN) - set(ASKED_BY_TYPING)
    assert not undecided, "say in bot/texts/conversations.py what typing these labels means"
    assert not set(AGAIN) & set(ASKED_BY_TYPING)
