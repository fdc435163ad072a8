"""What the bot says about programs and the FAQ: answers, suggestions, topics, small talk.

The welcome and /help live in bot/texts/help.py; replies any handler may give (an unknown
command, a stale button, an apology) in bot/texts/common.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.callbacks import (
    AllTopics,
    ChooseProgram,
    NoneOfThese,
    NotThis,
    PickSuggestion,
    ShowEntry,
    Topic,
)
from bot.domain.asking import (
    Answered,
    AskResult,
    NoBetterAnswer,
    NotedAlready,
    NotThisResult,
    OtherSuggestions,
    PickedNone,
    PickGone,
    PickResult,
    SmallTalk,
    Suggested,
    Unanswered,
)
from bot.domain.programs import Program
from bot.texts.common import stale_button
from bot.texts.help import EXAMPLE_CHILD, family_help
from bot.texts.reply import Button, Reply, column, label
from faq.kb import Entry, KnowledgeBase
from faq.smalltalk import ChatKind


def pick_program(programs: dict[str, Program], current: str | None = None,
                 unknown: str | None = None) -> Reply:
    lines = []
    if unknown:
        lines.append(f"I don't know a program called “{label(unknown)}”.")
    if current and current in programs:
        lines.append(f"You're in {programs[current].name} now.")
    lines.append("Which program is your child in?")
    buttons = [
        Button(("✓ " if slug == current else "") + program.name, ChooseProgram(slug))
        for slug, program in programs.items()
    ]
    return Reply("\n".join(lines), column(buttons))


NOT_THIS_LABEL = "Not what I asked"


def answer(entry: Entry, coaches: Sequence[tuple[str, str]] = (),
           question_id: int | None = None) -> Reply:
    """The entry; after it, what the family's coaches share (their school's own details). An
    answer to a typed question (`question_id`) lets the parent say it missed."""
    shared = "".join(f"\n\n👟 Your coach at {school}: {contact}" for school, contact in coaches)
    buttons = column([Button(NOT_THIS_LABEL, NotThis(question_id))]) if question_id else ()
    return Reply(f"❓ {entry.question}\n\n{entry.answer}{shared}", buttons)


def suggestions(question_id: int, entries: tuple[Entry, ...],
                intro: str = "I'm not quite sure what you mean. Did you mean one of these?"
                ) -> Reply:
    buttons = [Button(label(e.question), PickSuggestion(question_id, e.id)) for e in entries]
    buttons.append(Button("None of these", NoneOfThese(question_id)))
    return Reply(intro, column(buttons))


def unanswered(program: Program, saved: bool = True) -> Reply:
    """Said plainly: the FAQ does not cover it, and who does know."""
    text = f"Sorry, I don't have that answer. Please ask {program.fallback_contact}."
    if saved:
        text += f" I've passed your question on to the {program.short_name} organizers."
    return Reply(text)


def none_of_these(program: Program) -> Reply:
    return Reply(
        f"Thanks for letting me know. I've passed your question on to the {program.short_name} "
        f"organizers. Meanwhile, you can ask {program.fallback_contact}, or browse /faq."
    )


def no_better_answer(program: Program) -> Reply:
    return Reply(
        "Sorry, I don't have a better answer. I've passed your question on to the "
        f"{program.short_name} organizers. Meanwhile, you can ask {program.fallback_contact}."
    )


def tell_me_more(kb: KnowledgeBase) -> Reply:
    return Reply(
        "Could you tell me a little more? For example: "
        f"“{kb.entries[0].question}” Or browse all topics with /faq."
    )


def chat(kind: ChatKind, program: Program | None) -> Reply:
    """Small talk: a short friendly word that points to what the bot can do."""
    name = program.short_name if program else "the program"
    who = program.fallback_contact if program else "your program's organizers"
    texts = {
        ChatKind.EMPTY: "Type your question and I'll look it up, or tell me the miles, like "
        f"“{EXAMPLE_CHILD} ran 1 mile”.",
        ChatKind.GREETING: f"Hi! 👋 Ask me anything about {name}, or tell me the miles, like "
        f"“{EXAMPLE_CHILD} ran 1 mile”. /help shows all I can do.",
        ChatKind.THANKS: "You're welcome! 😊 If anything else comes up, just ask. /progress "
        "shows the miles so far.",
        ChatKind.BYE: "Bye! Happy running! 🏃",
        ChatKind.ACK: "👍 Anything else? Just ask, or tell me today's miles. /help shows all I "
        "can do.",
        ChatKind.HOW_ARE_YOU: f"I'm great, thanks for asking! What would you like to know "
        f"about {name}? Or tell me today's miles, and /progress shows how far you've come.",
        ChatKind.ABOUT_BOT: family_help(program).text,
        ChatKind.EMOJI: "😊 Type your question in words and I'll find the answer, or tell me "
        f"the miles, like “{EXAMPLE_CHILD} ran 1 mile”.",
        ChatKind.OTHER_LANGUAGE: "Sorry, I can only understand English for now. "
        "(Lo siento, por ahora solo entiendo inglés.) "
        f"Please ask in English, or contact {who}.",
        ChatKind.TOO_LONG: "That's a long message! Could you ask one short question at a time? "
        f"I've passed your message on to the {name} organizers too.",
        ChatKind.BUTTON: "That sounds like a button from an earlier message; its buttons have "
        "gone. Type your question in words, browse /faq, or see /help for all I can do.",
    }
    return Reply(texts[kind])


def topics(program: Program, kb: KnowledgeBase) -> Reply:
    buttons = [Button(t, Topic(kb.slug, i)) for i, t in enumerate(kb.topics)]
    return Reply(f"{program.name}: pick a topic.", column(buttons))


def topic_entries(kb: KnowledgeBase, index: int) -> Reply:
    topic = kb.topics[index]
    buttons = [Button(label(e.question), ShowEntry(kb.slug, e.id))
               for e in kb.entries_in(topic)]
    buttons.append(Button("« All topics", AllTopics(kb.slug)))
    return Reply(f"{topic}: pick a question.", column(buttons))


def program_chosen(program: Program) -> str:
    return f"✓ {program.name}"


def asked(result: AskResult) -> Reply:
    """The FAQ's answer to a question, as the parent reads it."""
    match result:
        case Answered(entry=entry, coaches=coaches, question_id=question_id):
            return answer(entry, coaches, question_id)
        case Suggested(question_id=question_id, entries=entries, not_covered=Program() as program):
            return suggestions(question_id, entries, intro=(
                f"Sorry, I don't have that answer. Please ask {program.fallback_contact}. "
                "Is it one of these, though? If not, press “None of these” and I'll pass your "
                f"question on to the {program.short_name} organizers."))
        case Suggested(question_id=question_id, entries=entries):
            return suggestions(question_id, entries)
        case Unanswered(program=program, saved=True):
            return unanswered(program)
        case Unanswered(kb=kb):
            return tell_me_more(kb)
        case SmallTalk(kind=kind, program=program):
            return chat(kind, program)


def picked(result: PickResult) -> Reply:
    """After a press on a suggestion or on "None of these"."""
    match result:
        case Answered(entry=entry, coaches=coaches):
            return answer(entry, coaches)
        case PickedNone(program=program):
            return none_of_these(program)
        case PickGone():
            return stale_button()


def not_this(result: NotThisResult) -> Reply:
    """After "not what I asked": the next choices, or an honest "nothing better"."""
    match result:
        case OtherSuggestions(question_id=question_id, entries=entries):
            return suggestions(question_id, entries,
                               "Sorry about that. Did you mean one of these?")
        case NoBetterAnswer(program=program):
            return no_better_answer(program)
        case NotedAlready():
            return Reply(noted_already())
        case PickGone():
            return stale_button()


def noted_already() -> str:
    """A second press on "not what I asked" (a pop-up: the first press answered already)."""
    return "Thanks, I've noted that already."
