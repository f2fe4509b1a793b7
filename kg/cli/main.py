"""The ``kg`` command line: a registry of sub-commands.

Each sub-command lives in its own ``kg/cli/*.py`` module exposing
``register(subparsers)``; it adds its parser and sets ``func`` to a callable
taking the parsed ``argparse.Namespace`` and returning an exit code
(0 success, 1 partial failure such as skipped inputs, 2 usage error).
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from kg import __version__

#: Sub-command modules, in the order ``kg --help`` lists them.
COMMAND_MODULES = (
    "kg.cli.build",
    "kg.cli.merge",
    "kg.cli.evaluate",
    "kg.cli.query",
)


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every registered sub-command."""
    parser = argparse.ArgumentParser(
        prog="kg",
        description=(
            "Build a knowledge graph of AI model and product launches from "
            "Chinese and English articles, with provenance back to the exact "
            "passage of every source, and query it."
        ),
    )
    parser.add_argument("--version", action="version", version=f"kg {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue  # a command still being written; the rest stay usable
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kg`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        return 130
