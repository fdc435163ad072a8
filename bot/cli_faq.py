"""`finalmile faq review` and `finalmile faq export`: the organizers' review of what the FAQ
learned, from a terminal (scriptable: prompts only when standard input is a terminal), and the
learned layer written back into the program's YAML file for version control.

On the server the CLI is trusted as the organizers' own: no access check (as `faq unanswered`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TextIO

import yaml

from bot.config import Settings
from bot.domain import learning as learn
from bot.services import Services, build_services
from faq.export import Learned, export_checked
from faq.kb import CONTENT_DIR, Entry, parse_knowledge_base, read_knowledge_base
from storage import learned
from storage.types import utcnow


def _learning(services: Services) -> learn.Learning:
    return learn.Learning(services.db, services.programs, services.kbs, library=services.faq)


def _unknown(slug: str, services: Services) -> int:
    print(f"Unknown program '{slug}'. Known: {', '.join(services.programs)}", file=sys.stderr)
    return 2


def _outcome(result: object) -> tuple[int, str]:
    """What a review step did, for the terminal, and the exit status."""
    match result:
        case learn.Accepted(candidate_id=cid, entry_id=entry, text=text):
            return 0, f"Accepted #{cid} for {entry}: \"{text}\" is answered from now on.\n"
        case learn.Rejected(candidate_id=cid, entry_id=entry, text=text, in_file=True):
            return 0, (f"Rejected #{cid} (\"{text}\" for {entry}), but it was exported: remove "
                       "it from the YAML file too, or it is still answered from there.\n")
        case learn.Rejected(candidate_id=cid, entry_id=entry, text=text):
            return 0, f"Rejected #{cid} (\"{text}\" for {entry}): it is not proposed again.\n"
        case learn.Attached(entry_id=entry, text=text, questions=n):
            return 0, f"Attached \"{text}\" to {entry}; {n} question(s) left the review.\n"
        case learn.Dismissed(text=text, questions=n):
            return 0, f"Dismissed \"{text}\"; {n} question(s) left the review.\n"
        case learn.UnknownEntry(entry_id=entry):
            return 1, f"No entry '{entry}' in this program's FAQ.\n"
        case learn.Incomplete(fields=fields):
            return 1, f"Not usable: {', '.join(fields)} empty or too long.\n"
    return 1, "Not found: decided already, or no such candidate or group.\n"


def _listing(review: learn.Review, as_json: bool) -> str:
    if as_json:
        return "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in (
            *({"kind": "candidate", "id": c.id, "entry": c.entry_id, "text": c.text,
               "families": c.families, "wordings": list(c.wordings)}
              for c in review.candidates),
            *({"kind": "group", "key": g.key, "text": g.text, "count": g.count,
               "families": g.families, "wordings": list(g.wordings),
               "not_this": list(g.not_this)} for g in review.groups)))
    out = [f"{review.program.short_name}: {len(review.candidates)} candidate(s), "
           f"{len(review.groups)} group(s) of questions to answer.\n"]
    for c in review.candidates:
        out.append(f"\ncandidate #{c.id}: \"{c.text}\" -> {c.entry_id} ({c.entry_question}), "
                   f"{c.families} families\n")
        out.extend(f"    also: {w}\n" for w in c.wordings)
    for g in review.groups:
        given = f", answered {', '.join(g.not_this)} and not it" if g.not_this else ""
        out.append(f"\ngroup {g.key}: \"{g.text}\" asked {g.count} time(s) by {g.families} "
                   f"families{given}\n")
        out.extend(f"    also: {w}\n" for w in g.wordings if w != g.text)
    return "".join(out)


async def _interactive(learning: learn.Learning, review: learn.Review, stdin: TextIO,
                       stdout: TextIO) -> None:
    """Each candidate and group in turn; Enter skips."""
    slug = review.program.slug
    for c in review.candidates:
        stdout.write(f"\n\"{c.text}\" -> {c.entry_id}? [a]ccept, [e]dit, [r]eject, Enter "
                     "skips: ")
        stdout.flush()
        choice = stdin.readline().strip().lower()
        result: object = None
        if choice == "a":
            result = await learning.accept(slug, None, c.id)
        elif choice == "e":
            stdout.write("Phrasing: ")
            stdout.flush()
            result = await learning.accept(slug, None, c.id, stdin.readline().strip())
        elif choice == "r":
            result = await learning.reject(slug, None, c.id)
        if result is not None:
            stdout.write(_outcome(result)[1])
    for g in review.groups:
        stdout.write(f"\n\"{g.text}\" ({g.count} asked): attach to entry id, - dismisses, "
                     "Enter skips: ")
        stdout.flush()
        entry = stdin.readline().strip()
        if entry == "-":
            stdout.write(_outcome(await learning.dismiss(slug, None, g.key))[1])
        elif entry:
            stdout.write(_outcome(await learning.attach(slug, None, g.key, entry))[1])


def faq_review(settings: Settings, args: argparse.Namespace, stdin: TextIO,
               stdout: TextIO) -> int:
    async def run() -> int:
        async with build_services(settings, sending=False) as services:
            if args.program not in services.programs:
                return _unknown(args.program, services)
            learning = _learning(services)
            slug = args.program
            result: object = None
            if args.accept is not None:
                result = await learning.accept(slug, None, args.accept, args.text)
            elif args.reject is not None:
                result = await learning.reject(slug, None, args.reject)
            elif args.attach is not None:
                result = await learning.attach(slug, None, args.attach, args.entry)
            elif args.dismiss is not None:
                result = await learning.dismiss(slug, None, args.dismiss)
            if result is not None:
                status, line = _outcome(result)
                (stdout if status == 0 else sys.stderr).write(line)
                return status
            review = await learning.review(slug)
            assert isinstance(review, learn.Review)  # no access check here
            stdout.write(_listing(review, args.json))
            if stdin.isatty() and not args.json:
                await _interactive(learning, review, stdin, stdout)
            return 0

    return asyncio.run(run())


def faq_export(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    async def run() -> int:
        async with build_services(settings, sending=False) as services:
            kb = services.kbs.get(args.program)
            if kb is None:
                return _unknown(args.program, services)
            source = CONTENT_DIR / kb.source
            target = Path(args.out) if args.out else source
            async with services.db.session() as session:
                rows = [Learned(f"alternate:{a.id}", a.entry_id, a.text) for a in
                        await learned.alternates(session, kb.slug, learned.ACCEPTED)
                        if not a.exported]
                rows += [Learned(f"entry:{e.id}", e.entry_id, entry=Entry(
                    e.entry_id, e.topic, e.question, e.answer, e.alternates))
                    for e in await learned.entries(session, kb.slug) if not e.exported]
            # An --out file written before holds what earlier exports marked exported: it is
            # added to, not rebuilt from the program's file (which would drop those lines).
            earlier = read_knowledge_base(target)[0] if target.is_file() else None
            base = target if earlier is not None and earlier.slug == kb.slug else source
            done = export_checked(base.read_text(encoding="utf-8"), rows)
            problems = parse_knowledge_base(yaml.safe_load(done.text), target.name)[1]
            if problems:
                for problem in problems:
                    print(problem, file=sys.stderr)
                print("Nothing was written.", file=sys.stderr)
                return 1
            try:
                target.write_text(done.text, encoding="utf-8")
            except OSError as exc:
                print(f"Could not write {target}: {exc.strerror or exc}", file=sys.stderr)
                return 2
            ids = {kind: [int(k.split(":")[1]) for k in done.written if k.startswith(kind)]
                   for kind in ("alternate", "entry")}
            async with services.db.session() as session, session.begin():
                await learned.mark_exported(session, kb.slug, ids["alternate"], ids["entry"],
                                            utcnow())
            stdout.write(f"Wrote {len(ids['alternate'])} alternate(s) and {len(ids['entry'])} "
                         f"entry(ies) to {target}.\n")
            if done.held_back:
                stdout.write(f"Held back (fewer alternates than `faq check` asks for, still "
                             f"answered from the database): {', '.join(done.held_back)}.\n")
            if done.misleading:
                stdout.write("Held back (closer to another entry than to their own, so `faq "
                             "check` would refuse them; still answered from the database): "
                             f"{'; '.join(done.misleading)}.\n")
            return 0

    return asyncio.run(run())
