"""Tables. Changes to them go through an Alembic migration in storage/migrations/versions/."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql import true

from storage.types import TypedText, UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def table(model: type[Base]) -> Table:
    """A model's table, for writing many rows in one cached statement: the ORM's bulk path
    (and a multi-row VALUES built each time) costs more Python than the write itself."""
    return cast(Table, model.__table__)


class Chat(Base):
    """A Telegram chat (private or family group) and the program it belongs to."""

    __tablename__ = "chats"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(16))
    program: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow
    )


class Question(Base):
    """A question a parent asked and what the bot did with it; organizers read the unanswered."""

    __tablename__ = "questions"
    __table_args__ = (Index("ix_questions_program_outcome", "program", "outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Who asked: None once the program's retention period is over (the text stays).
    chat_id: Mapped[int | None] = mapped_column(
        BigInteger, ForeignKey("chats.id", ondelete="CASCADE"))
    program: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(TypedText())
    outcome: Mapped[str] = mapped_column(String(16))
    entry_id: Mapped[str | None] = mapped_column(String(64))
    score: Mapped[float | None] = mapped_column(Float)
    asked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Family(Base):
    """The family behind a chat (private, or a family group where every member may log)."""

    __tablename__ = "families"

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("chats.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reminders: Mapped[bool] = mapped_column(default=True, server_default=true())


class Child(Base):
    """A child training in a program. Removed children keep their miles (removed_at set)."""

    __tablename__ = "children"
    __table_args__ = (Index("ix_children_family", "family_id"),
                      Index("ix_children_program", "program"))

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"))
    first_name: Mapped[str] = mapped_column(TypedText(40))
    last_initial: Mapped[str | None] = mapped_column(String(1))
    grade: Mapped[str] = mapped_column(String(2))  # "K", "1" .. "8"
    school: Mapped[str | None] = mapped_column(TypedText(120))
    # The program the child trains in; a family in two programs has children in each. The
    # chat shows those of its current program.
    program: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class MileLog(Base):
    """One logging message: the unit that Undo takes back and duplicates are checked against."""

    __tablename__ = "mile_logs"
    __table_args__ = (Index("ix_mile_logs_family_logged_at", "family_id", "logged_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("families.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(TypedText())
    fingerprint: Mapped[str] = mapped_column(String(64))  # what makes two messages "the same"
    logged_by: Mapped[int | None] = mapped_column(BigInteger)  # Telegram user id
    logged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    undone_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class MileEntry(Base):
    """Miles one child earned on one day. Amounts are hundredths of a mile: exact sums."""

    __tablename__ = "mile_entries"
    __table_args__ = (
        Index("ix_mile_entries_child_day", "child_id", "day"),
        Index("ix_mile_entries_log", "log_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("mile_logs.id", ondelete="CASCADE"))
    child_id: Mapped[int] = mapped_column(ForeignKey("children.id", ondelete="CASCADE"))
    hundredths: Mapped[int] = mapped_column(Integer)
    day: Mapped[dt.date] = mapped_column(Date)
    activity: Mapped[str | None] = mapped_column(String(32))
    deleted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class Outbox(Base):
    """A message the bot sends on its own, written in the same transaction as its cause.

    A row is claimed (state sending) only as its request goes out, and its outcome is recorded
    at once, so a crash loses nothing and can repeat only the requests then in flight (see
    bot/delivery.py and the README for what is at-least-once and what at-most-once).
    """

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_due_at", "state", "due_at"),
                      Index("ix_outbox_kind_state_due_at", "kind", "state", "due_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("chats.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # reply, milestone, reminder, announcement...
    text: Mapped[str] = mapped_column(TypedText())  # the message, or the photo's caption
    picture: Mapped[str | None] = mapped_column(String(64))  # drawn when sent: "log:<child>"
    photo: Mapped[bytes | None] = mapped_column(LargeBinary)  # a reply's PNG, cleared once sent
    edit_message_id: Mapped[int | None] = mapped_column(BigInteger)  # edit this message instead
    buttons: Mapped[str | None] = mapped_column(Text)  # JSON [[[label, callback data], ...]]
    dedupe_key: Mapped[str | None] = mapped_column(String(120), unique=True)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Announcement(Base):
    """An organizer's message to a program, one school, or the families behind pace.

    At `due_at` it is expanded into one outbox row per recipient chat (state queued); when all
    of them are delivered or given up, the organizer gets a report (state done).
    """

    __tablename__ = "announcements"
    __table_args__ = (Index("ix_announcements_state_due_at", "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program: Mapped[str] = mapped_column(String(64))
    audience: Mapped[str] = mapped_column(String(16))  # all, school, behind
    school: Mapped[str | None] = mapped_column(TypedText(120))
    text: Mapped[str] = mapped_column(TypedText())
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    created_by: Mapped[int | None] = mapped_column(BigInteger)  # organizer's chat, for the report
    state: Mapped[str] = mapped_column(String(12), default="scheduled")
    recipients: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReceivedUpdate(Base):
    """An update from Telegram, stored before Telegram is told it arrived (the polling offset
    moves on, or the webhook answers 200), and marked handled in the same transaction as its
    effects: a crash loses nothing and applies nothing twice."""

    __tablename__ = "updates"
    __table_args__ = (Index("ix_updates_unhandled", "chat_id", "update_id",
                            postgresql_where="handled_at IS NULL",
                            sqlite_where="handled_at IS NULL"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int] = mapped_column(BigInteger)  # 0: an update without a chat
    payload: Mapped[str] = mapped_column(Text)  # the update's JSON, as Telegram sent it
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))  # handled, failed


class ChatState(Base):
    """What a chat's conversations are waiting for (open flows, drafts, questions about miles),
    kept between updates so any worker can go on with any conversation."""

    __tablename__ = "chat_states"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    state: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Staff(Base):
    """A coach (of one school; several schools, several rows) or an organizer of a program.
    ORGANIZER_IDS (settings) are organizers of every program besides these."""

    __tablename__ = "staff"
    __table_args__ = (UniqueConstraint("user_id", "program", "role", "school"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    program: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))  # "coach" or "organizer"
    school: Mapped[str] = mapped_column(TypedText(120))  # "" for an organizer
    # What a coach shares with their school's families (how to reach them, practice times).
    contact: Mapped[str | None] = mapped_column(TypedText(500))
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Invite(Base):
    """A one-time link that makes whoever opens it a coach or organizer of a program."""

    __tablename__ = "invites"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    program: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    school: Mapped[str] = mapped_column(TypedText(120))  # "" for an organizer
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class School(Base):
    """A school organizers added to their program's list (the YAML file's come first)."""

    __tablename__ = "schools"
    __table_args__ = (UniqueConstraint("program", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(TypedText(120))
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)



# The FAQ's learned layer has a module of its own (models.py stays readable); imported here so
# the metadata (and the migrations' check) has every table.
from storage import learned_models  # noqa: E402, F401
