"""`finalmile export --pdf`: the printable packet-pickup log, alone or beside the CSV that
`bot.cli_tools.export` writes. The log is gathered by `bot.domain.pickup` and drawn by
`bot.pictures.pickup_log`; this only wires them to the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from bot import cli_tools as tools
from bot.config import Settings

if TYPE_CHECKING:
    from bot.services import Services


def export_files(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    """`finalmile export`: the CSV (--csv), the printable pickup log (--pdf), or both."""
    if not (args.csv or args.pdf):
        print("Say what to write: --csv FILE, --pdf FILE, or both.", file=sys.stderr)
        return 2
    if args.pdf == tools.STDOUT:
        print("--pdf needs a file name: a PDF is not written to standard output.",
              file=sys.stderr)
        return 2
    code = tools.export(settings, args, stdout) if args.csv else 0
    return pickup_pdf(settings, args, stdout) if code == 0 and args.pdf else code


def pickup_pdf(settings: Settings, args: argparse.Namespace, stdout: TextIO) -> int:
    """The printable pickup log: a section per school, each child with their total, entries
    and milestones (first names and last initials only)."""
    from bot.domain.pickup import PickupLog, pickup_log
    from bot.pictures.pickup_log import pickup_log_pdf

    if tools._program(args.program) is None:
        return 2

    async def gather(services: Services) -> PickupLog:
        return await pickup_log(services.db, services.programs[args.program], args.school)

    log = tools._with_services(settings, gather)
    try:
        Path(args.pdf).write_bytes(pickup_log_pdf(log))
    except OSError as exc:
        print(f"Could not write {args.pdf}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    noun = "child" if log.children == 1 else "children"
    said = sys.stderr if args.csv == tools.STDOUT else stdout  # the CSV may be on standard output
    said.write(f"Wrote {log.children} {noun} to {args.pdf}.\n")
    return 0
