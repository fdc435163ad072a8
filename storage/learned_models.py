"""Tables of the FAQ's learned layer (storage/learned.py reads and writes them)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base
from storage.types import TypedText, UTCDateTime, utcnow


class LearnedAlternate(Base):
    """A wording of a program's FAQ entry learned from parents' picks or an organizer's review,
    layered over the YAML: a candidate until an organizer (or the program's auto-accept)
    decides; accepted ones are answered outright."""

    __tablename__ = "learned_alternates"
    __table_args__ = (UniqueConstraint("program", "entry_id", "asked"),
                      Index("ix_learned_alternates_program_status", "program", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    program: Mapped[str] = mapped_column(String(64))
    entry_id: Mapped[str] = mapped_column(String(64))
    asked: Mapped[str] = mapped_column(TypedText(300))  # the wording parents asked
    text: Mapped[str] = mapped_column(TypedText(300))  # the phrasing (an organizer may edit it)
    status: Mapped[str] = mapped_column(String(12))  # candidate, accepted, rejected
    families: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)  # None: the CLI or auto-accept
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    exported_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class LearnedEntry(Base):
    """An FAQ entry an organizer wrote in the bot, layered over the program's YAML."""

    __tablename__ = "learned_entries"
    __table_args__ = (UniqueConstraint("program", "entry_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    program: Mapped[str] = mapped_column(String(64))
    entry_id: Mapped[str] = mapped_column(String(32))
    topic: Mapped[str] = mapped_column(TypedText(120))
    question: Mapped[str] = mapped_column(TypedText(300))
    answer: Mapped[str] = mapped_column(TypedText())
    alternates: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of strings
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    exported_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())


class LearnedVersion(Base):
    """Per program, a number moved by every change of its learned layer: each worker reads it
    cheaply and rebuilds that program's matcher only when it moved."""

    __tablename__ = "learned_versions"

    program: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
