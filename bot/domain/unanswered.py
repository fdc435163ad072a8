"""What parents asked that the FAQ could not answer, grouped for organizers: the same question
however it was typed, how often and by how many families, first and last seen.

Kept for organizers are questions the FAQ found nothing for, those where it offered choices
and the parent pressed "None of these", and those where the parent left the choices without a
pick. Junk (bot.domain.junk) is counted and left out. Questions are grouped by their topic
words as the FAQ matcher reads them (typos fixed, "parking" and "park" one word), so "wheres
parking", "where is parking?" and "Where do we park" are one group.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from rapidfuzz import fuzz, process
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.faq_library import FaqLibrary
from bot.domain.junk import junk
from bot.domain.programs import Program
from faq.normalize import clean
from storage import children, repo, schools
from storage.db import Database
from storage.types import utcnow

# Choices offered and no pick for this long: the parent left them.
LEFT_AFTER = dt.timedelta(hours=1)
# Two wordings ask the same when this share of their topic weight is shared.
SAME_QUESTION = 0.5
# Topic words this alike (rapidfuzz ratio) are one word typed two ways ("bathrom", "bathroom"):
# the normalizer fixes typos only towards the FAQ's own words, and these questions are about
# what the FAQ does not say.
SAME_WORD = 85
MAX_WORDINGS = 10

Terms = Mapping[str, float]


@dataclass(frozen=True)
class AskedQuestion:
    text: str
    asker: int | None  # the chat; None once forgotten after the retention period
    asked_at: dt.datetime
    id: int | None = None  # the stored question's


@dataclass(frozen=True)
class QuestionGroup:
    question: str  # the wording asked most often (the shortest among equals)
    count: int
    families: int  # different askers; a forgotten asker counts as one of their own
    first_seen: dt.date  # in the program's time zone
    last_seen: dt.date
    wordings: tuple[str, ...]  # different wordings, most asked first (at most MAX_WORDINGS)


@dataclass(frozen=True)
class UnansweredReport:
    program: Program
    groups: tuple[QuestionGroup, ...]  # biggest first, at most the limit asked for
    total_groups: int
    questions: int  # questions in all the groups
    junk: int  # messages left out as junk


def similarity(a: Terms, b: Terms) -> float:
    """How much of two wordings' topic weight they share, 0 to 1 (weighted Jaccard)."""
    shared = sum(min(weight, b[term]) for term, weight in a.items() if term in b)
    total = sum(a.values()) + sum(b.values()) - shared
    return shared / total if total else 0.0


def fold_typos(topics: list[Terms]) -> list[Terms]:
    """The same topics with a word typed two ways written one way, the commoner one:
    "bathrom" becomes "bathroom" when more questions spell it so."""
    frequency = Counter(term for topic in topics for term in topic)
    spelling: dict[str, str] = {}
    kept: list[str] = []  # the spellings kept so far, commonest first (long enough to compare)
    for term in sorted(frequency, key=lambda t: (-frequency[t], t)):
        found = (process.extractOne(term, kept, scorer=fuzz.ratio, score_cutoff=SAME_WORD)
                 if len(term) >= 5 else None)
        spelling[term] = found[0] if found else term
        if found is None and len(term) >= 5:
            kept.append(term)
    folded: list[Terms] = []
    for topic in topics:
        terms: dict[str, float] = {}
        for term, weight in topic.items():
            terms[spelling[term]] = max(weight, terms.get(spelling[term], 0.0))
        folded.append(terms)
    return folded


def group_questions(questions: Iterable[AskedQuestion], terms: Callable[[str], Terms],
                    zone: ZoneInfo) -> list[QuestionGroup]:
    """The questions grouped by what they ask, biggest group first."""
    return [group for group, _ in grouped(questions, terms, zone)]


def grouped(questions: Iterable[AskedQuestion], terms: Callable[[str], Terms], zone: ZoneInfo
            ) -> list[tuple[QuestionGroup, tuple[AskedQuestion, ...]]]:
    """The questions grouped by what they ask, each group with its questions, biggest first.

    Wordings with the same topic words form a bucket; the biggest buckets found groups and
    each other bucket joins the group whose first bucket it is most like, if alike enough.
    """
    questions = list(questions)
    raw = [terms(q.text) or dict.fromkeys(clean(q.text).split(), 1.0) for q in questions]
    topics = fold_typos(raw)
    buckets: dict[frozenset[str], list[_Member]] = {}
    weights: dict[frozenset[str], Terms] = {}
    for question, topic, typed in zip(questions, topics, raw, strict=True):
        key = frozenset(topic)
        buckets.setdefault(key, []).append(_Member(question, key != frozenset(typed)))
        weights.setdefault(key, topic)
    clusters: list[tuple[Terms, list[_Member]]] = []
    for key in sorted(buckets, key=lambda k: (-len(buckets[k]), len(k), sorted(k))):
        scores = [similarity(weights[key], seed) for seed, _ in clusters]
        best = max(range(len(scores)), key=scores.__getitem__, default=None)
        if best is not None and scores[best] >= SAME_QUESTION:
            clusters[best][1].extend(buckets[key])
        else:
            clusters.append((weights[key], list(buckets[key])))
    groups = [(_group(members, zone), tuple(m.question for m in members))
              for _, members in clusters]
    return sorted(groups, key=lambda g: (-g[0].count, -g[0].families,
                                         -g[0].last_seen.toordinal(), g[0].question))


@dataclass(frozen=True)
class _Member:
    question: AskedQuestion
    respelled: bool  # a word of it is typed the less common way


def _group(members: list[_Member], zone: ZoneInfo) -> QuestionGroup:
    """The group's figures; its wording is the one asked most, then one without a typo the
    others spell right, then the shortest."""
    asked = sorted(members, key=lambda m: m.question.asked_at)
    counts: Counter[str] = Counter()
    wording: dict[str, str] = {}  # cleaned -> as first typed
    typo: set[str] = set()
    for member in asked:
        text = member.question.text
        form = clean(text) or text.strip()
        counts[form] += 1
        wording.setdefault(form, " ".join(text.split()))
        if member.respelled:
            typo.add(form)
    order = sorted(counts, key=lambda f: (-counts[f], f in typo, len(wording[f])))
    askers = {m.question.asker for m in asked if m.question.asker is not None}
    forgotten = sum(1 for m in asked if m.question.asker is None)
    return QuestionGroup(
        question=wording[order[0]], count=len(asked), families=len(askers) + forgotten,
        first_seen=asked[0].question.asked_at.astimezone(zone).date(),
        last_seen=asked[-1].question.asked_at.astimezone(zone).date(),
        wordings=tuple(wording[f] for f in order[:MAX_WORDINGS]))


class UnansweredQuestions:
    """The organizers' list of questions to add to the FAQ (`finalmile faq unanswered`)."""

    def __init__(self, db: Database, library: FaqLibrary,
                 now: Callable[[], dt.datetime] = utcnow) -> None:
        """`library`: the programs' current FAQs, whose matchers read the topic words."""
        self.db = db
        self.library = library
        self.now = now

    async def report(self, program: Program, limit: int) -> UnansweredReport:
        """The program's unanswered questions in groups, biggest first, junk left out (a
        message made only of the program's children's names and schools among it)."""
        stored, kept = await self.kept(program)
        matcher = (await self.library.current(program.slug)).matcher
        groups = group_questions(kept, matcher.normalizer.terms, ZoneInfo(program.timezone))
        return UnansweredReport(program, tuple(groups[:limit]), len(groups), len(kept),
                                len(stored) - len(kept))

    async def kept(self, program: Program) -> tuple[list[repo.QuestionRecord],
                                                    list[AskedQuestion]]:
        """The questions stored for organizers, and those of them that are not junk."""
        async with self.db.session() as session:
            stored = await repo.questions_for_organizers(session, program.slug,
                                                         self.now() - LEFT_AFTER)
            names = await program_names(session, program)
        return stored, [AskedQuestion(q.text, q.chat_id, q.asked_at, q.id) for q in stored
                        if junk(q.text, names) is None]


async def program_names(session: AsyncSession, program: Program) -> set[str]:
    """What a program's families type into the bot's own questions: children's names and
    schools (a message of them alone is junk)."""
    names = await children.names_in_program(session, program.slug)
    return names | {*program.schools, *await schools.added(session, program.slug)}
