"""The organizers' unanswered questions as `finalmile faq unanswered` prints them: a summary,
then each group (its wording, how often, by how many families, when, other wordings), or one
JSON object per group."""

from __future__ import annotations

import json

from bot.domain.unanswered import QuestionGroup, UnansweredReport

OTHER_WORDINGS_SHOWN = 3


def _times(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def summary(found: UnansweredReport) -> str:
    """What the list holds and what was left out, above the groups."""
    slug = found.program.slug
    other = "other " if found.groups else ""
    junk = (f" ({_times(found.junk, f'{other}message', f'{other}messages')} left out: not "
            "questions, too long or code)" if found.junk else "")
    if not found.groups:
        return f"No unanswered questions in {slug}{junk}.\n"
    questions = _times(found.total_groups, "question", "different questions")
    if len(found.groups) < found.total_groups:
        questions = f"Showing the {len(found.groups)} biggest of {questions}"
    return (f"{questions}, asked {_times(found.questions, 'time', 'times')} in {slug}"
            f"{junk}.\n\n")


def text(group: QuestionGroup) -> str:
    seen = (f"on {group.first_seen}" if group.first_seen == group.last_seen
            else f"first {group.first_seen}, last {group.last_seen}")
    also = "".join(f"\n   also: {w}" for w in group.wordings[1:1 + OTHER_WORDINGS_SHOWN])
    return (f"{group.question}\n   asked {_times(group.count, 'time', 'times')} by "
            f"{_times(group.families, 'family', 'families')}, {seen}{also}\n\n")


def as_json(group: QuestionGroup) -> str:
    """One line: question, count, families, first_seen, last_seen, wordings."""
    return json.dumps({
        "question": group.question, "count": group.count, "families": group.families,
        "first_seen": group.first_seen.isoformat(), "last_seen": group.last_seen.isoformat(),
        "wordings": list(group.wordings)}, ensure_ascii=False)
