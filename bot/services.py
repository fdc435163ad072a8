"""The services container: builds the database, programs, FAQ matchers, use cases and the
outbox's sending Bot once, and owns their start-up and shutdown.

The bot calls `initialize()`/`shutdown()` from PTB's post_init/post_shutdown; each CLI
command opens one with `async with`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import Bot
from telegram.request import BaseRequest, HTTPXRequest

from bot.config import Settings
from bot.delivery import Delivery
from bot.domain.announcing import Announcing
from bot.domain.asking import Asking
from bot.domain.chats import Chats
from bot.domain.faq_library import FaqLibrary, MakeMatcher
from bot.domain.figures import ProgramFigures
from bot.domain.guide import Guide
from bot.domain.inbox import Inbox
from bot.domain.kids import Kids
from bot.domain.learning import Learning
from bot.domain.log_writer import pictured_child
from bot.domain.logbook import Logbook
from bot.domain.privacy import Privacy
from bot.domain.programs import Program, load_programs
from bot.domain.reminders import Reminders
from bot.domain.roles import Roles
from bot.domain.schools import Schools
from bot.domain.staffing import Staffing
from bot.domain.standings import Standings
from bot.pictures import training_log_png
from bot.texts import announce as announce_texts
from bot.texts import miles as miles_texts
from bot.texts import reminders as reminder_texts
from faq.kb import KnowledgeBase, load_knowledge_bases
from faq.match import Matcher
from faq.matching import matcher_factory
from storage.db import Database

CONSOLE_TOKEN = "0:console"
TELEGRAM_BOT_API = "https://api.telegram.org/bot"


def bot_api_url(base: str | None) -> str:
    """PTB wants the URL up to and including `/bot` (the token is appended to it)."""
    if not base:
        return TELEGRAM_BOT_API
    base = base.rstrip("/")
    return base if base.endswith("/bot") else f"{base}/bot"


@dataclass
class Services:
    db: Database
    programs: dict[str, Program]
    kbs: dict[str, KnowledgeBase]
    organizer_ids: frozenset[int] = frozenset()
    send_rate: float = 30.0
    updates_retention_days: float = 7.0  # what a chat sent is kept this long once handled
    sender: Bot | None = None  # the outbox's Bot, outside PTB's rate limiter
    # Builds each program's matcher: lexical, or semantic when FAQ_SEMANTIC_MODEL is usable
    # (faq.matching.matcher_factory); cheap to call again for a KB that gained phrasings.
    make_matcher: MakeMatcher = Matcher
    faq_refresh_seconds: float = 2.0  # how often a worker looks for what others learned
    faq: FaqLibrary = field(init=False)  # each program's current FAQ (YAML + learned)
    learning: Learning = field(init=False)
    roles: Roles = field(init=False)
    chats: Chats = field(init=False)
    kids: Kids = field(init=False)
    privacy: Privacy = field(init=False)
    guide: Guide = field(init=False)
    logbook: Logbook = field(init=False)
    standings: Standings = field(init=False)
    asking: Asking = field(init=False)
    inbox: Inbox = field(init=False)
    delivery: Delivery = field(init=False)
    staffing: Staffing = field(init=False)
    figures: ProgramFigures = field(init=False)
    schools: Schools = field(init=False)
    announcing: Announcing = field(init=False)
    reminders: Reminders = field(init=False)

    def __post_init__(self) -> None:
        self.faq = FaqLibrary(self.db, self.kbs, self.make_matcher,
                              refresh_seconds=self.faq_refresh_seconds)
        self.roles = Roles(self.organizer_ids)
        self.chats = Chats(self.db, self.programs)
        self.kids = Kids(self.db, programs=self.programs)
        self.privacy = Privacy(self.db, self.programs)
        self.staffing = Staffing(self.db, self.programs, self.organizer_ids)
        self.guide = Guide(self.chats, self.kids, self.kbs, self.roles,
                           allowed=self.staffing.may)
        self.logbook = Logbook(self.db, milestone_text=miles_texts.milestone)
        self.standings = Standings(self.db, self.programs)
        self.learning = Learning(self.db, self.programs, self.kbs, allowed=self.staffing.may,
                                 library=self.faq)
        self.asking = Asking(self.db, self.programs, self.faq, picked=self.learning.picked)
        self.inbox = Inbox(self.programs, self.logbook, self.asking)
        self.delivery = Delivery(self.db, rate=self.send_rate,
                                 pictures=outbox_pictures(self.standings))
        self.announcing = Announcing(self.db, self.programs,
                                     render_report=announce_texts.report, roles=self.roles,
                                     allowed=self.staffing.may)
        self.staffing.announcing = self.announcing  # coaches' notices go out as announcements
        self.figures = ProgramFigures(self.db, self.programs, allowed=self.staffing.may)
        self.schools = Schools(self.db, allowed=self.staffing.may)
        self.staffing.schools = self.schools  # coaches are invited to a school of the list
        self.reminders = Reminders(self.db, self.programs, render=reminder_texts.reminder)

    async def initialize(self) -> None:
        """Bring the database schema up to date and open the sending Bot."""
        await self.db.upgrade()
        if self.sender is not None:
            await self.sender.initialize()

    async def shutdown(self) -> None:
        await self.delivery.close()  # outbox messages on their way finish and are recorded
        if self.sender is not None:
            await self.sender.shutdown()
        await self.db.dispose()

    async def __aenter__(self) -> Services:
        await self.initialize()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.shutdown()


def outbox_pictures(standings: Standings) -> Callable[[str], Awaitable[bytes | None]]:
    """Draws an outbox message's picture as it is sent: "log:<child>" is the child's training
    log as it stands then (None: no picture, the text goes alone)."""
    async def draw(key: str) -> bytes | None:
        child_id = pictured_child(key)
        standing = await standings.standing(child_id) if child_id is not None else None
        if standing is None:
            return None
        program = standing.program
        return await asyncio.to_thread(training_log_png, standing.name, standing.miles,
                                       goal=program.goal_miles, milestones=program.milestones)

    return draw


def build_services(settings: Settings, *, kbs: dict[str, KnowledgeBase] | None = None,
                   programs: dict[str, Program] | None = None,
                   request: BaseRequest | None = None, sending: bool = True) -> Services:
    """Build (not start) the services. `sending=False` leaves out the outbox's Bot (the CLI
    only queues messages; the running bot sends them)."""
    sender = None
    if sending:
        sender = Bot(settings.token or CONSOLE_TOKEN,
                     base_url=bot_api_url(settings.telegram_api_base_url),
                     request=request or HTTPXRequest(connection_pool_size=32))
    return Services(
        db=Database(settings.database_url),
        programs=(programs if programs is not None
                  else load_programs(default_timezone=settings.timezone)),
        kbs=kbs if kbs is not None else load_knowledge_bases(),
        organizer_ids=settings.organizer_ids,
        send_rate=settings.send_rate_limit,
        updates_retention_days=settings.updates_retention_days,
        sender=sender,
        make_matcher=matcher_factory(settings.faq_semantic_model,
                                     settings.faq_semantic_model_sha256),
    )
