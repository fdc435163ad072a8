"""Use cases behind announcements: who may write, list and cancel them (organizers), what text
and which time they may have, schedule them, and (on each tick) queue the due ones and report
finished ones to the organizer who sent them. The chat's /announce and `finalmile announce`
share these rules. Results are typed; bot.texts.announce words them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.access import Allowed
from bot.domain.chats import NoProgram
from bot.domain.programs import Program
from bot.domain.progress import compute_progress
from bot.domain.roles import NotAnOrganizer, Roles
from bot.domain.when import in_future, parse_when
from storage import announcements, outbox, program_miles, repo
from storage.announcements import AnnouncementRecord
from storage.db import Database


@dataclass(frozen=True)
class DeliveryReport:
    """An announcement whose delivery has finished: what its organizer is told."""

    announcement: AnnouncementRecord
    program_name: str
    sent: int
    blocked: int  # the family blocked the bot
    failed: int
    unknown: int = 0  # timed out: may have arrived, not sent again


ReportRenderer = Callable[[DeliveryReport], str]  # the report's wording (bot.texts.announce)


@dataclass(frozen=True)
class Drafting:
    """An organizer may write an announcement to this program's families."""

    program: Program


@dataclass(frozen=True)
class Reach:
    """Who an announcement goes to: all of a program's families (`announcements.ALL`), one
    school's (`SCHOOL`, with `school`), or those behind pace (`BEHIND`)."""

    program_name: str
    kind: str = announcements.ALL
    school: str | None = None


@dataclass(frozen=True)
class Preview:
    """The announcement as it would go out, and to how many chats if sent now."""

    text: str
    reach: Reach
    recipients: int


MESSAGE_LIMIT = 4096  # characters in one Telegram message: a longer text is refused, not cut


@dataclass(frozen=True)
class EmptyText:
    """Nothing to announce (blank space only)."""


@dataclass(frozen=True)
class TooLong:
    """More than one Telegram message holds: Telegram would refuse it for every family."""

    length: int  # characters, as Telegram counts them
    limit: int = MESSAGE_LIMIT


TextCheck = str | EmptyText | TooLong


def announcement_text(text: str) -> TextCheck:
    """The announcement as it will go out (without blank space around it), or why it can't:
    the chat checks it as the organizer types it, the CLI as it reads --text or --file."""
    text = text.strip()
    if not text:
        return EmptyText()
    if len(text) > MESSAGE_LIMIT:
        return TooLong(len(text))
    return text


@dataclass(frozen=True)
class BadTime:
    """Not a time that could be read, or not one in the future."""


@dataclass(frozen=True)
class Scheduled:
    """Written down: it goes out at `when` (None: at the next tick, within seconds)."""

    id: int
    recipients: int  # chats it would reach now (the count is taken again when it goes out)
    when: dt.datetime | None
    reach: Reach


@dataclass(frozen=True)
class Listing:
    """The program's scheduled announcements, soonest first."""

    items: list[AnnouncementRecord]
    timezone: str


@dataclass(frozen=True)
class Cancelled:
    announcement: AnnouncementRecord


@dataclass(frozen=True)
class NotCancellable:
    """Already sent, being sent, cancelled before, or never there."""


StartResult = Drafting | NotAnOrganizer | NoProgram
ListResult = Listing | NotAnOrganizer | NoProgram
CancelResult = Cancelled | NotCancellable | NotAnOrganizer


def behind_pace(days: list[tuple[dt.date, int]], program: Program, today: dt.date) -> bool:
    """Whether a child is behind the 9-12 week plan counted from their first logged mile
    (bot.domain.progress defines "behind"). A child with no miles yet has not started, so is
    not behind."""
    start = min((day for day, _ in days), default=today)
    progress = compute_progress("", [(day, amount / 100) for day, amount in days],
                                goal=program.goal_miles, milestones=program.milestones,
                                start=start, today=today, min_weeks=program.min_weeks,
                                max_weeks=program.max_weeks)
    return progress.pace == "behind"


class Announcing:
    """Use cases behind /announce and /announcements, and the tick that queues due ones."""

    def __init__(self, db: Database, programs: dict[str, Program] | None = None, *,
                 render_report: ReportRenderer, roles: Roles | None = None,
                 allowed: Allowed | None = None,
                 now: Callable[[], dt.datetime] = repo.utcnow) -> None:
        self.db = db
        self.programs = programs or {}
        self.render_report = render_report
        self.roles = roles or Roles()
        # Who may announce: the access table (bot/domain/access.py) once the services are
        # built; alone, the settings' organizers.
        self.allowed: Allowed = allowed or self._listed_organizer
        self.now = now

    async def _listed_organizer(self, user_id: int | None, _action: str,
                                _program: str | None) -> bool:
        return self.roles.is_organizer(user_id)

    async def may_announce(self, user_id: int | None, program: str) -> bool:
        """Whether the user organizes this program (asked again as an announcement goes out:
        the chat may have switched program since /announce)."""
        return await self.allowed(user_id, "/announce", program)

    async def _program_of(self, chat_id: int) -> Program | None:
        async with self.db.session() as session:
            chat = await repo.get_chat(session, chat_id)
        return self.programs.get(chat.program) if chat and chat.program else None

    async def start(self, user_id: int | None, chat_id: int) -> StartResult:
        """/announce: organizers only, in a chat that has chosen its program."""
        program = await self._program_of(chat_id)
        if not await self.allowed(user_id, "/announce", program.slug if program else None):
            return NotAnOrganizer()
        return Drafting(program) if program else NoProgram()

    def when(self, program: Program, text: str) -> dt.datetime | BadTime:
        """The moment a typed time means, in the program's own time zone, if in the future."""
        zone = ZoneInfo(program.timezone)
        moment = parse_when(text, self.now().astimezone(zone))
        return BadTime() if moment is None else moment

    def at(self, program: Program, moment: dt.datetime) -> dt.datetime | BadTime:
        """An exact moment (the CLI's --at): one without a zone is a time on the program's own
        clock. Like a typed one, it must be in the future."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(program.timezone))
        return moment if in_future(moment, self.now()) else BadTime()

    def _reach(self, program: str, school: str | None, audience: str | None) -> Reach:
        kind = audience or (announcements.SCHOOL if school else announcements.ALL)
        return Reach(self._name(program), kind, school)

    async def preview(self, program: str, text: str, school: str | None = None,
                      audience: str | None = None) -> Preview:
        return Preview(text, self._reach(program, school, audience),
                       await self.audience_size(program, school, audience))

    async def schedule(self, program: str, text: str, due_at: dt.datetime | None = None,
                       school: str | None = None, created_by: int | None = None,
                       audience: str | None = None) -> Scheduled:
        """Schedule (or, without `due_at`, send at the next tick). Not checked here: the
        conversation checked its organizer at /announce, and the CLI runs on the server."""
        async with self.db.session() as session, session.begin():
            announcement = await announcements.create(session, program, text,
                                                      due_at or self.now(), school, created_by,
                                                      audience)
        return Scheduled(announcement, await self.audience_size(program, school, audience),
                         due_at, self._reach(program, school, audience))

    def _name(self, slug: str) -> str:
        program = self.programs.get(slug)
        return program.short_name if program else slug

    async def audience_size(self, program: str, school: str | None = None,
                            audience: str | None = None) -> int:
        record = AnnouncementRecord(0, program, audience or announcements.ALL, school, "",
                                    self.now(), None, announcements.SCHEDULED, 0)
        async with self.db.session() as session:
            return len(await self._recipients(session, record))

    async def scheduled(self, program: str | None = None) -> list[AnnouncementRecord]:
        async with self.db.session() as session:
            return await announcements.scheduled(session, program)

    async def listing(self, user_id: int | None, chat_id: int) -> ListResult:
        """/announcements: the chat's program's scheduled ones, for organizers only."""
        program = await self._program_of(chat_id)
        if not await self.allowed(user_id, "/announcements", program.slug if program else None):
            return NotAnOrganizer()
        if program is None:
            return NoProgram()
        return Listing(await self.scheduled(program.slug), program.timezone)

    async def cancel(self, user_id: int | None, announcement_id: int | None,
                     chat_id: int | None = None) -> CancelResult:
        """Cancel a scheduled announcement of the chat's program (its organizers only); None,
        from an unreadable button, cancels nothing."""
        program = await self._program_of(chat_id) if chat_id is not None else None
        slug = program.slug if program else None
        if not await self.allowed(user_id, "anncancel", slug):
            return NotAnOrganizer()
        if announcement_id is None:
            return NotCancellable()
        async with self.db.session() as session, session.begin():
            record = await announcements.cancel(session, announcement_id, slug)
        return Cancelled(record) if record else NotCancellable()

    async def _recipients(self, session: AsyncSession, record: AnnouncementRecord
                          ) -> list[int]:
        if record.audience != announcements.BEHIND:
            return await announcements.recipients(session, record.program, record.school)
        program = self.programs.get(record.program)
        if program is None:
            return []
        by_chat = await program_miles.program_children_days(session, record.program)
        today = self.now().astimezone(ZoneInfo(program.timezone)).date()
        return [chat for chat, kids in by_chat.items()
                if any(behind_pace(days, program, today) for _child, days in kids)]

    async def process_due(self) -> list[AnnouncementRecord]:
        """Queue the announcements that are due; report those whose delivery has finished.

        Claiming, choosing recipients and queueing share one transaction, so an announcement
        is queued whole or not at all, and two workers never queue the same one."""
        now = self.now()
        queued = []
        async with self.db.session() as session, session.begin():
            for record in await announcements.claim_due(session, now):
                chats = await self._recipients(session, record)
                queued.append(await announcements.queue(session, record, chats, now))
        async with self.db.session() as session, session.begin():
            done = await announcements.finished(session)
            # A report goes to the sender's chat, if the bot knows it: one erased since
            # (/forget), or a coach who never wrote to the bot alone, gets none.
            known = await repo.known_chats(session, {
                record.created_by for record, _ in done if record.created_by is not None})
            reports = [outbox.NewMessage(record.created_by, "report",
                                         self.render_report(self._report(record, counts)), now,
                                         f"report:{record.id}")
                       for record, counts in done if record.created_by in known]
            await outbox.enqueue(session, reports)
        return queued

    def _report(self, record: AnnouncementRecord, counts: dict[str, int]) -> DeliveryReport:
        return DeliveryReport(record, self._name(record.program), counts.get(outbox.SENT, 0),
                              counts.get(outbox.BLOCKED, 0), counts.get(outbox.FAILED, 0),
                              counts.get(outbox.UNKNOWN, 0))
