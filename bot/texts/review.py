"""What the bot says to organizers reviewing the FAQ in the chat (/review): wordings parents
taught it to accept, edit or reject, and groups of questions it could not answer, to attach
to an entry, answer with a new one, or dismiss."""

from __future__ import annotations

from bot.callbacks import (
    AttachEntry,
    AttachGroup,
    AttachTopic,
    DecideCandidate,
    DismissGroup,
    EntryTopic,
    SaveEntry,
    WriteReview,
)
from bot.domain.learned_wordings import MAX_ANSWER, MAX_TEXT, MAX_TOPIC
from bot.domain.learning import (
    Accepted,
    Attached,
    Candidate,
    Dismissed,
    EntryAdded,
    Gone,
    Incomplete,
    NotAnOrganizerHere,
    Rejected,
    Review,
    ReviewGroup,
    UnknownEntry,
)
from bot.texts.reply import Button, Reply, column, label
from faq.kb import KnowledgeBase

SHOWN = 5  # candidates, and groups, one message each per /review: the rest come next time
LIMITS = {"topic": MAX_TOPIC, "question": MAX_TEXT, "answer": MAX_ANSWER, "text": MAX_TEXT}
AGAIN = "/review shows what is waiting."


def not_an_organizer() -> Reply:
    return Reply("Sorry, /review is for this program's organizers: it's where they teach me "
                 "new questions. If you are one, ask an organizer for an invite link (/invite "
                 "organizer), or the person who runs this bot to add your Telegram id to "
                 "ORGANIZER_IDS (/whoami shows it).")


def _families(count: int) -> str:
    return f"{count} family" if count == 1 else f"{count} families"


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _also(wordings: tuple[str, ...], text: str) -> str:
    others = [w for w in wordings if w != text][:3]
    return ("\nAlso asked: " + ", ".join(f"“{w}”" for w in others)) if others else ""


def _question_of(kb: KnowledgeBase, entry_id: str) -> str:
    entry = kb.entry(entry_id)
    return entry.question if entry else entry_id


def review(result: Review | NotAnOrganizerHere) -> tuple[Reply, ...]:
    """/review: a heading, then one message per candidate and per group, with its buttons."""
    if isinstance(result, NotAnOrganizerHere):
        return (not_an_organizer(),)
    name = result.program.short_name
    candidates, groups = result.candidates[:SHOWN], result.groups[:SHOWN]
    heading = [f"📝 FAQ review for {name}: "
               f"{_count(len(result.candidates), 'wording')} to accept or reject, "
               f"{_count(len(result.groups), 'group')} of questions I couldn't answer."]
    if not result.candidates and not result.groups:
        heading = [f"📝 Nothing to review for {name}: no new wordings, and no question waits "
                   "for an answer."]
    if result.auto_accept:
        heading.append(f"{name} accepts wordings on its own once enough families asked them; "
                       "✗ Reject takes one back.")
    if len(result.candidates) > SHOWN or len(result.groups) > SHOWN:
        heading.append(f"Here are the first {SHOWN} of each; /review shows the next ones once "
                       "these are done.")
    heading.append("📝 Write a new entry adds a question and its answer to the FAQ.")
    replies = [Reply("\n".join(heading), column([Button("📝 Write a new entry",
                                                        WriteReview("new", 0))]))]
    replies += [candidate(c) for c in candidates]
    replies += [group(g, result.kb) for g in groups]
    return tuple(replies)


def _count(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def candidate(found: Candidate) -> Reply:
    text = (f"💬 “{found.text}”, asked by {_families(found.families)}, who then chose:\n"
            f"❓ {found.entry_question}{_also(found.wordings, found.text)}\n\n"
            "Accept it, and I answer it outright from now on.")
    return Reply(text, ((Button("✓ Accept", DecideCandidate("ok", found.id)),
                         Button("✏️ Edit", WriteReview("edit", found.id)),
                         Button("✗ Reject", DecideCandidate("no", found.id))),))


def group(found: ReviewGroup, kb: KnowledgeBase) -> Reply:
    lines = [f"❔ “{found.text}”, asked {_times(found.count)} by "
             f"{_families(found.families)}{_also(found.wordings, found.text)}"]
    if found.not_this:
        missed = ", ".join(f"“{_question_of(kb, e)}”" for e in found.not_this)
        lines.append(f"Parents said my answer {missed} was not what they asked.")
    lines.append("\nAttach it to the entry that answers it, or write a new one; 🗑 Dismiss "
                 "if the FAQ should not answer it.")
    return Reply("\n".join(lines), column([
        Button("📎 Attach to an entry", AttachGroup(found.key)),
        Button("📝 Write a new entry", WriteReview("new", found.key)),
        Button("🗑 Dismiss", DismissGroup(found.key))]))


def accepted(result: Accepted | Gone | Incomplete | NotAnOrganizerHere,
             kb: KnowledgeBase | None) -> Reply:
    """After ✓ Accept, or an edited wording."""
    match result:
        case Accepted(entry_id=entry_id, text=text):
            question = _question_of(kb, entry_id) if kb else entry_id
            return Reply(f"✓ Accepted: parents asking “{text}” now get the answer to "
                         f"“{question}” outright.")
        case _:
            return failed(result)


def rejected(result: Rejected | Gone | NotAnOrganizerHere) -> Reply:
    match result:
        case Rejected(text=text, in_file=True):
            return Reply(f"✗ Taken back here, but “{text}” was exported into the FAQ file: "
                         "I keep answering it from there until it is removed from the file.")
        case Rejected(text=text):
            return Reply(f"✗ Rejected: I won't suggest “{text}” again.")
        case _:
            return failed(result)


def failed(result: Gone | Incomplete | UnknownEntry | NotAnOrganizerHere) -> Reply:
    """A review step that did nothing, and why."""
    match result:
        case Gone():
            return Reply(f"That one was dealt with already (by another organizer, or an "
                         f"earlier tap). {AGAIN}")
        case Incomplete(fields=fields):
            return too_long_or_empty(fields[0])
        case UnknownEntry():
            return Reply(f"That entry is no longer in the FAQ. {AGAIN}")
        case NotAnOrganizerHere():
            return not_an_organizer()


def too_long_or_empty(field: str) -> Reply:
    what = "wording" if field == "text" else field
    return Reply(f"That {what} is empty or too long (at most {LIMITS[field]:,} characters). "
                 "Please type it again, or /cancel to stop.")


def ask_edit(current: str) -> Reply:
    return Reply(f"✏️ Type “{current}” as parents would ask it, and I'll accept it that way. "
                 "(/cancel keeps it waiting as it is)")


def attach_topics(kb: KnowledgeBase, group_key: int) -> Reply:
    buttons = [Button(t, AttachTopic(group_key, i)) for i, t in enumerate(kb.topics, start=1)]
    return Reply("📎 Which entry answers these questions? Pick its topic.", column(buttons))


def attach_entries(kb: KnowledgeBase, group_key: int, index: int) -> Reply:
    """The entries of the topic at `index` (from 1)."""
    topic = kb.topics[index - 1]
    buttons = [Button(label(e.question), AttachEntry(group_key, e.id))
               for e in kb.entries_in(topic)]
    buttons.append(Button("« All topics", AttachTopic(group_key, 0)))
    return Reply(f"📎 {topic}: which entry?", column(buttons))


def attached(result: Attached | Gone | UnknownEntry | NotAnOrganizerHere,
             kb: KnowledgeBase | None) -> Reply:
    match result:
        case Attached(entry_id=entry_id, text=text, questions=questions):
            question = _question_of(kb, entry_id) if kb else entry_id
            return Reply(f"📎 Attached: parents asking “{text}” now get the answer to "
                         f"“{question}” outright ({_count(questions, 'question')} left the "
                         "review).")
        case _:
            return failed(result)


def dismissed(result: Dismissed | Gone | NotAnOrganizerHere) -> Reply:
    match result:
        case Dismissed(text=text, questions=questions):
            return Reply(f"🗑 Dismissed: “{text}” ({_count(questions, 'question')}) left the "
                         "review.")
        case _:
            return failed(result)


def ask_question(restarted: bool = False, asked: str | None = None) -> Reply:
    """The first step of a new entry; `asked`: the group of questions it is to answer."""
    opening = "📝 Starting over: the unfinished entry is dropped.\n\n" if restarted else "📝 "
    about = f", to answer “{asked}”" if asked else ""
    return Reply(f"{opening}A new FAQ entry{about}. First, type its question as parents will see "
                 "it, for example “Where do we park on race day?” (/cancel to stop)")


def ask_answer(question: str) -> Reply:
    return Reply(f"Now type the answer to “{question}”.")


def ask_topic(kb: KnowledgeBase) -> Reply:
    buttons = [Button(t, EntryTopic(i)) for i, t in enumerate(kb.topics)]
    return Reply("Which topic does it go under? Pick one, or type a new topic.",
                 column(buttons))


def entry_preview(topic: str, question: str, answer: str) -> Reply:
    return Reply(f"The new entry, under “{topic}”:\n\n❓ {question}\n\n{answer}",
                 ((Button("✓ Add it", SaveEntry("yes")), Button("✗ Cancel", SaveEntry("no"))),))


def entry_added(result: EntryAdded | Gone | Incomplete | NotAnOrganizerHere,
                program_name: str) -> Reply:
    match result:
        case EntryAdded(entry=entry, questions=questions):
            waiting = (f" The {_count(questions, 'question')} it answers left the review."
                       if questions else "")
            return Reply(f"✓ Added to the {program_name} FAQ under “{entry.topic}”: parents "
                         f"asking “{entry.question}” get its answer from now on.{waiting}")
        case Incomplete(fields=fields):
            return Reply(f"Nothing was added: the {fields[0]} is empty or too long (at most "
                         f"{LIMITS[fields[0]]:,} characters). 📝 Write a new entry starts "
                         "again.")
        case _:
            return failed(result)


def use_the_buttons() -> Reply:
    return Reply("Please choose with the buttons above, or /cancel to stop.")


def cancelled() -> Reply:
    return Reply(f"OK, nothing was changed. {AGAIN}")


def lost_track() -> Reply:
    return Reply(f"Sorry, I lost track of that step. {AGAIN}")
