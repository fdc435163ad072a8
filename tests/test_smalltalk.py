"""Messages that are not questions get a friendly word, never an FAQ answer."""

import pytest

from faq.smalltalk import MAX_QUESTION_CHARS, ChatKind, classify_chat


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("hi", ChatKind.GREETING),
        ("Hello there!", ChatKind.GREETING),
        ("good morning coach", ChatKind.GREETING),
        ("thanks!", ChatKind.THANKS),
        ("thank you so much, that was helpful", ChatKind.THANKS),
        ("thx", ChatKind.THANKS),
        ("ok cool", ChatKind.ACK),
        ("got it 👍", ChatKind.ACK),
        ("bye", ChatKind.BYE),
        ("how are you?", ChatKind.HOW_ARE_YOU),
        ("are you a bot?", ChatKind.ABOUT_BOT),
        ("what can you do", ChatKind.ABOUT_BOT),
        ("🏃‍♀️🎉", ChatKind.EMOJI),
        ("   ", ChatKind.EMPTY),
        ("¿A qué hora es la carrera de mi hijo?", ChatKind.OTHER_LANGUAGE),
        ("Когда начинается забег?", ChatKind.OTHER_LANGUAGE),
        ("比赛几点开始", ChatKind.OTHER_LANGUAGE),
        ("x" * (MAX_QUESTION_CHARS + 1), ChatKind.TOO_LONG),
        ("Cancel", ChatKind.BUTTON),
        ("None of these", ChatKind.BUTTON),
        ("back", ChatKind.BUTTON),
        ("Done!", ChatKind.BUTTON),
        ("skip", ChatKind.BUTTON),
        ("Menu", ChatKind.BUTTON),
        ("« All topics", ChatKind.BUTTON),
        ("ok cancel", ChatKind.BUTTON),
        ("go back to the main menu", ChatKind.BUTTON),
    ],
)
def test_non_questions_are_recognized(text: str, kind: ChatKind) -> None:
    assert classify_chat(text) == kind


@pytest.mark.parametrize(
    "text",
    ["hi what time should we arrive", "thanks, and can grandma watch?", "refund?",
     "ok so how much does it cost", "can my kid run in the race", "como",
     "how do i cancel", "cancel registration", "can we skip a week", "is the race done by noon",
     "schedule", "schedule?", "school schedule"],
)
def test_questions_go_to_the_matcher(text: str) -> None:
    assert classify_chat(text) is None
