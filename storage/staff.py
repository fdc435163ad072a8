"""Coaches and organizers of a program, and the one-time invites that make them. The caller
owns the transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import on_postgresql
from storage.models import Invite, Staff

COACH, ORGANIZER = "coach", "organizer"


@dataclass(frozen=True)
class StaffRole:
    program: str
    role: str  # COACH or ORGANIZER
    school: str  # the coach's school; "" for an organizer


async def add_invite(session: AsyncSession, code: str, role: StaffRole, now: dt.datetime,
                     expires_at: dt.datetime) -> None:
    session.add(Invite(code=code, program=role.program, role=role.role, school=role.school,
                       created_at=now, expires_at=expires_at))
    await session.flush()


async def redeem(session: AsyncSession, code: str, user_id: int, now: dt.datetime
                 ) -> StaffRole | None:
    """Use the invite (once, before it expires) and give its role to the user; None when the
    code is unknown, used or expired."""
    row = (await session.execute(
        update(Invite).where(Invite.code == code, Invite.used_by.is_(None),
                             Invite.expires_at > now)
        .values(used_by=user_id, used_at=now)
        .returning(Invite.program, Invite.role, Invite.school))).first()
    if row is None:
        return None
    role = StaffRole(*row)
    dialect = postgresql if on_postgresql(session) else sqlite
    await session.execute(dialect.insert(Staff).values(
        user_id=user_id, program=role.program, role=role.role, school=role.school,
        granted_at=now).on_conflict_do_nothing())
    return role


async def roles_of(session: AsyncSession, user_id: int) -> list[StaffRole]:
    rows = await session.execute(select(Staff.program, Staff.role, Staff.school)
                                 .where(Staff.user_id == user_id).order_by(Staff.id))
    return [StaffRole(*row) for row in rows.all()]


async def set_contact(session: AsyncSession, user_id: int, program: str, contact: str | None
                      ) -> list[str]:
    """Share (None: stop sharing) a coach's contact with the families of every school they
    coach in the program; those schools."""
    rows = await session.execute(
        update(Staff).where(Staff.user_id == user_id, Staff.program == program,
                            Staff.role == COACH).values(contact=contact)
        .returning(Staff.school))
    return sorted(rows.scalars().all())


async def contacts(session: AsyncSession, program: str, schools: Sequence[str]
                   ) -> list[tuple[str, str]]:
    """(school, contact) shared by the coaches of these schools (names in any case)."""
    if not schools:
        return []
    rows = await session.execute(
        select(Staff.school, Staff.contact).where(
            Staff.program == program, Staff.role == COACH, Staff.contact.is_not(None),
            func.lower(Staff.school).in_({s.lower() for s in schools})).order_by(Staff.id))
    return [(school, contact) for school, contact in rows.all() if contact]
