"""The schools organizers added to a program's list. The caller owns the transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import on_postgresql
from storage.models import School


async def added(session: AsyncSession, program: str) -> list[str]:
    return list((await session.scalars(select(School.name).where(School.program == program)
                                       .order_by(School.id))).all())


async def add(session: AsyncSession, program: str, name: str, now: dt.datetime) -> None:
    """Add it (already there: nothing changes)."""
    dialect = postgresql if on_postgresql(session) else sqlite
    await session.execute(dialect.insert(School).values(
        program=program, name=name, added_at=now).on_conflict_do_nothing())
