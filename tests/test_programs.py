"""Program settings: read from the `program:` section beside the FAQ, with the TIMEZONE
setting for a program that names no time zone of its own."""

from pathlib import Path

import pytest

from bot.domain.programs import load_programs, read_programs
from faq.kb import KnowledgeBaseError


def program_file(tmp_path: Path, extra: str = "") -> Path:
    path = tmp_path / "demo.yaml"
    path.write_text("program:\n  slug: demo\n  name: Demo Run\n  fallback_contact: the coach\n"
                    + extra + "entries: []\n")
    return path


def test_a_program_without_a_time_zone_uses_the_timezone_setting(tmp_path: Path) -> None:
    programs = load_programs([program_file(tmp_path)], default_timezone="America/Denver")
    assert programs["demo"].timezone == "America/Denver"


def test_a_program_keeps_its_own_time_zone(tmp_path: Path) -> None:
    path = program_file(tmp_path, "  timezone: America/Chicago\n")
    assert load_programs([path], default_timezone="America/Denver")["demo"].timezone \
        == "America/Chicago"


def test_an_unknown_time_zone_is_named_with_its_file(tmp_path: Path) -> None:
    _programs, problems = read_programs([program_file(tmp_path, "  timezone: Mars/Base\n")])
    assert [str(p) for p in problems] == ["demo.yaml: program: unknown timezone 'Mars/Base'"]
    with pytest.raises(KnowledgeBaseError):
        load_programs([program_file(tmp_path, "  timezone: Mars/Base\n")])

