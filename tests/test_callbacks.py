"""Button data: every action packs within Telegram's 64 bytes and unpacks to itself; malformed
or foreign data unpacks to None and routes nowhere else."""

from __future__ import annotations

import re
import secrets
from dataclasses import fields

import pytest

from bot import callbacks
from bot.callbacks import ALL_ACTIONS, ButtonData, ConfirmLog, PickSuggestion, Undo
from faq.kb import MAX_ENTRY_ID, MAX_SLUG


def _largest(action: type[ButtonData]) -> ButtonData:
    """The action with each field at the largest value it is ever given."""
    values: list[int | str] = []
    for field in fields(action):
        if field.type in (int, "int"):
            values.append(10**12 - 1)
        elif field.name == "token":
            values.append(secrets.token_urlsafe(9))
        elif field.name == "slug":
            values.append("x" * MAX_SLUG)
        elif field.name == "entry_id":
            values.append("x" * MAX_ENTRY_ID)
        else:  # a choice among a few short words, or a grade
            values.append("x" * 12)
    return action(*values)


@pytest.mark.parametrize("action", ALL_ACTIONS, ids=lambda a: a.__name__)
def test_every_action_fits_in_64_bytes_and_unpacks_to_itself(action: type[ButtonData]) -> None:
    largest = _largest(action)
    packed = largest.pack()
    assert len(packed.encode()) <= callbacks.MAX_BYTES
    assert action.unpack(packed) == largest
    assert re.match(action.pattern(), packed)


@pytest.mark.parametrize("action", ALL_ACTIONS, ids=lambda a: a.__name__)
def test_no_other_action_routes_to_this_one(action: type[ButtonData]) -> None:
    packed = _largest(action).pack()
    others = [a for a in ALL_ACTIONS if a is not action and re.match(a.pattern(), packed)]
    assert others == []


def test_prefixes_are_unique() -> None:
    prefixes = [a.prefix for a in ALL_ACTIONS]
    assert len(prefixes) == len(set(prefixes))


@pytest.mark.parametrize("data", ["undo:", "undo:abc", "undo:1:2", "undo:²", "undo:" + "9" * 40,
                                  "", None, "logok:tok", "pick:1:a:b", "pick:x:y"])
def test_malformed_data_unpacks_to_none(data: str | None) -> None:
    assert Undo.unpack(data) is None
    assert ConfirmLog.unpack(data) is None
    assert PickSuggestion.unpack(data) is None


def test_an_oversized_value_is_refused_when_packing() -> None:
    with pytest.raises(ValueError):
        PickSuggestion(1, "x" * 80).pack()


@pytest.mark.parametrize("entry_id", ["a:b", "a b", "émile", "x" * 61])
def test_a_value_that_could_not_be_read_back_is_refused_when_packing(entry_id: str) -> None:
    with pytest.raises(ValueError):
        PickSuggestion(1, entry_id).pack()
