"""Simulation of the FAQ's learning loop: what parents' picks and one organizer review teach the
bot, measured on questions it never saw, before and after.

1. An empty database (a temporary SQLite file) and the real use cases: Asking (what a parent's
   message goes through) and Learning (the organizers' review), sharing one FaqLibrary.
2. Training: every other in-scope question of tests/data/faq_eval_dev.yaml (positions 0, 2, 4...
   in file order; the split is fixed), each asked by N different families, N being the
   program's faq_learn_families. A family offered the right entry picks it; offered only wrong
   ones, it presses "None of these"; answered wrongly, it says "not what I asked" (recorded as
   the not_this outcome, as the bot's button does).
3. The review, by an organizer who knows the right entry: candidates pointing to it are
   accepted, the others rejected; each group of unanswered questions is attached to its right
   entry.
4. Measured before and after, with the matcher alone (nothing stored): the trained half (the
   wordings taught: does the loop work at all), the other half of the dev set,
   tests/data/faq_eval_test.yaml, and any files given. Out-of-scope cases (`expect: null`)
   count as near or far by their `kind`, else as "out".

    python bench/faq_loop.py [--matcher module:factory | --matcher settings] [FILES...]

`--matcher` measures another matcher the same way: a callable taking a KnowledgeBase, or
`settings` for the one the bot would use (semantic re-ranking when FAQ_SEMANTIC_MODEL is set);
the default is the lexical faq.match:Matcher.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import itertools
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from sqlalchemy import select

from bot.domain.asking import Answered, Asking, Suggested
from bot.domain.faq_library import FaqLibrary
from bot.domain.learning import Learning, Review
from bot.domain.programs import load_programs
from faq.kb import KnowledgeBase, load_knowledge_bases
from faq.match import Matcher
from storage import repo
from storage.db import Database
from storage.models import Question

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
DEV = DATA / "faq_eval_dev.yaml"


def load(path: Path) -> list[dict]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


def expected(case: dict) -> set[str]:
    expect = case["expect"]
    return set(expect) if isinstance(expect, list) else {expect} if expect else set()


def split(cases: list[dict]) -> tuple[list[dict], list[dict]]:
    """(training, held out): every other case, in file order."""
    return cases[0::2], cases[1::2]


@dataclass
class Figures:
    cases: int = 0
    right: int = 0
    wrong: int = 0
    offered: int = 0  # right or offered
    outside: dict[str, list[int]] | None = None  # kind -> [answered, total]

    def row(self) -> str:
        def pct(n: int, d: int) -> str:
            return f"{100 * n / d:5.1f}%" if d else "    -"

        out = self.outside or {}
        cells = [f"{self.cases:>4}", pct(self.right, self.cases), pct(self.wrong, self.cases),
                 pct(self.offered, self.cases)]
        for kind in ("near", "far", "out"):
            answered, total = out.get(kind, [0, 0])
            cells.append(f"{pct(answered, total)} of {total:>3}")
        return " | ".join(cells)


def measure(cases: list[dict], matchers: dict[str, Matcher]) -> Figures:
    figures = Figures(outside={})
    assert figures.outside is not None
    for case in cases:
        want = expected(case)
        result = matchers[case["program"]].match(case["q"])
        if not want:
            tally = figures.outside.setdefault(case.get("kind") or "out", [0, 0])
            tally[0] += result.confident
            tally[1] += 1
            continue
        figures.cases += 1
        if result.confident and result.entry is not None:
            figures.right += result.entry.id in want
            figures.wrong += result.entry.id not in want
            figures.offered += result.entry.id in want
        elif want & {s.entry.id for s in result.suggestions}:
            figures.offered += 1
    return figures


async def train(db: Database, kbs: dict[str, KnowledgeBase],
                make_matcher: Callable[[KnowledgeBase], Matcher], cases: list[dict]
                ) -> tuple[dict[str, Matcher], dict[str, int]]:
    """The loop on the training cases; the programs' matchers after it and what happened."""
    programs = load_programs()
    library = FaqLibrary(db, kbs, make_matcher, refresh_seconds=0)
    learning = Learning(db, programs, kbs, library=library)
    asking = Asking(db, programs, library, picked=learning.picked)
    chats = itertools.count(1000)
    counts = dict.fromkeys(("picked", "none_of_these", "not_this", "right", "unanswered",
                            "accepted", "rejected", "attached"), 0)
    right_entry: dict[tuple[str, str], set[str]] = {}  # (program, wording) -> right entries
    for case in cases:
        want = expected(case)
        if not want:
            continue
        program = programs[case["program"]]
        right_entry[(program.slug, " ".join(case["q"].split()))] = want
        for _ in range(program.faq_learn_families):
            chat = next(chats)
            result = await asking.ask(program, chat, "private", case["q"])
            if isinstance(result, Suggested):
                pick = next((e.id for e in result.entries if e.id in want), None)
                await asking.pick(chat, result.question_id, pick)
                counts["picked" if pick else "none_of_these"] += 1
            elif isinstance(result, Answered) and result.entry.id not in want:
                counts["not_this"] += 1
                if await not_what_i_asked(db, asking, chat, result, want):
                    counts["picked"] += 1
            else:
                counts["right" if isinstance(result, Answered) else "unanswered"] += 1
    for slug in kbs:
        review = await learning.review(slug)
        assert isinstance(review, Review)
        for candidate in review.candidates:
            if candidate.entry_id in right_entry.get((slug, candidate.text), set()):
                await learning.accept(slug, None, candidate.id)
                counts["accepted"] += 1
            else:
                await learning.reject(slug, None, candidate.id)
                counts["rejected"] += 1
        for group in review.groups:
            right = right_entry.get((slug, group.text))
            if right:
                await learning.attach(slug, None, group.key, sorted(right)[0])
                counts["attached"] += 1
    return {slug: (await library.current(slug)).matcher for slug in kbs}, counts


async def not_what_i_asked(db: Database, asking: Asking, chat: int, answered: Answered,
                           want: set[str]) -> bool:
    """ "Not what I asked" on a wrong answer; then the right entry picked if it is offered.
    Through the bot's own use case (Asking.not_this) where it exists; else the question is
    only recorded as the button records it (the row keeps the entry given). Whether a pick
    was made."""
    not_this = getattr(asking, "not_this", None)
    question_id = getattr(answered, "question_id", None)
    if not_this is not None and question_id is not None:
        offered = await not_this(chat, question_id)
        entries = getattr(offered, "entries", ())
        pick = next((e.id for e in entries if e.id in want), None)
        if entries:
            await asking.pick(chat, question_id, pick)
        return pick is not None
    async with db.session() as session, session.begin():
        last = await session.scalar(select(Question.id).where(Question.chat_id == chat)
                                    .order_by(Question.id.desc()).limit(1))
        row = await session.get(Question, last)
        if row is not None:
            row.outcome = repo.NOT_THIS
    return False


def factory(path: str) -> Callable[[KnowledgeBase], Matcher]:
    """`module:callable`, or "settings": the bot's own matcher as its settings make it (with
    the semantic extra, when FAQ_SEMANTIC_MODEL names a usable model)."""
    if path == "settings":
        from bot.config import load_settings

        settings = load_settings()
        matching = importlib.import_module("faq.matching")
        return matching.matcher_factory(  # type: ignore[no-any-return]
            getattr(settings, "faq_semantic_model", None),
            getattr(settings, "faq_semantic_model_sha256", None))
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name or "Matcher")  # type: ignore[no-any-return]


async def run(make_matcher: Callable[[KnowledgeBase], Matcher], files: list[Path]) -> None:
    kbs = load_knowledge_bases()
    training, held_out = split(load(DEV))
    sets = [("dev, trained half", training), ("dev, other half", held_out)] + [
        (f.name, load(f)) for f in files if f.exists()]
    before = {slug: make_matcher(kb) for slug, kb in kbs.items()}
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite+aiosqlite:///{tmp}/loop.db")
        await db.upgrade()
        try:
            after, counts = await train(db, kbs, make_matcher, training)
        finally:
            await db.dispose()
    fed = sum(1 for c in training if expected(c))
    asks = sum(counts[k] for k in ("right", "picked", "none_of_these", "not_this", "unanswered"))
    print(f"training: {fed} in-scope dev questions (every other one), asked {asks} times by "
          f"different families; {', '.join(f'{k} {v}' for k, v in counts.items())}\n")
    print(f"{'set':<22} {'':<6} | {'in':>4} | right  | wrong  | r|offer | near answered "
          f"| far answered  | out answered")
    for name, cases in sets:
        for phase, matchers in (("before", before), ("after", after)):
            print(f"{name:<22} {phase:<6} | {measure(cases, matchers).row()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path,
                        help="held-out sets (default: tests/data/faq_eval_test.yaml)")
    parser.add_argument("--matcher", default="faq.match:Matcher",
                        help="module:callable building a program's matcher, or 'settings'")
    args = parser.parse_args()
    asyncio.run(run(factory(args.matcher), args.files or [DATA / "faq_eval_test.yaml"]))


if __name__ == "__main__":
    main()
