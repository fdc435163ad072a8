"""The shape of the code: which packages may import which, and how long a module may grow.

The rules (DESIGN.md): the domain, faq/ and storage/ never import Telegram, the handlers or the
texts; storage never imports the bot at all; no module is over 300 lines. Imports are read with
`ast`, so an import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 300
FORBIDDEN_BELOW_THE_BOT = ("telegram", "bot.handlers", "bot.texts")


def modules(*folders: str) -> list[Path]:
    """The .py files under these folders of the project (migrations left out)."""
    found = sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py")
                   if "migrations" not in p.relative_to(ROOT).parts)
    assert found, f"no modules under {folders}"
    return found


def _package(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts if parts[-1] == "__init__" else parts[:-1]


def imported(source: str, path: Path = ROOT / "bot" / "x.py") -> set[str]:
    """Every module name a source file imports, anywhere in it; relative imports resolved."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package(path)
                package = package[:len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def _is_under(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def offenders(folders: tuple[str, ...], packages: tuple[str, ...]) -> dict[str, list[str]]:
    """Module path -> the forbidden names it imports."""
    found: dict[str, list[str]] = {}
    for path in modules(*folders):
        bad = sorted(n for n in imported(path.read_text(encoding="utf-8"), path)
                     if _is_under(n, packages))
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    return found


def test_the_import_reader_sees_imports_inside_functions_and_relative_ones() -> None:
    source = ("import os\n"
              "def f():\n"
              "    from telegram import Bot\n"
              "    import bot.texts.miles\n"
              "from . import kids\n"
              "from ..texts import faq\n")
    names = imported(source, ROOT / "bot" / "domain" / "logbook.py")
    assert {"os", "telegram.Bot", "bot.texts.miles", "bot.domain.kids", "bot.texts.faq"} <= names
    assert _is_under("telegram.ext", FORBIDDEN_BELOW_THE_BOT)
    assert not _is_under("telegramish", FORBIDDEN_BELOW_THE_BOT)


def test_the_domain_never_imports_telegram_the_handlers_or_the_texts() -> None:
    assert offenders(("bot/domain",), FORBIDDEN_BELOW_THE_BOT) == {}


def test_faq_never_imports_telegram_the_handlers_or_the_texts() -> None:
    assert offenders(("faq",), FORBIDDEN_BELOW_THE_BOT) == {}


def test_storage_never_imports_telegram_or_anything_from_the_bot() -> None:
    assert offenders(("storage",), ("telegram", "bot")) == {}


def test_no_module_is_over_300_lines() -> None:
    long = {str(p.relative_to(ROOT)): n for p in modules("bot", "faq", "storage")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"over {MAX_LINES} lines: {long}"
