"""The `jobgen` command line: the only module that touches argparse.

Each subcommand is a module under jobgen/commands/ with one typed `run`
function returning an exit code (see jobgen.diagnostics.ExitCode).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from jobgen import __version__
from jobgen.diagnostics import ExitCode


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; this keeps the message short."""


def _add_validate(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("validate", help="check component files; all errors at once")
    p.add_argument("paths", nargs="*", type=Path, help="files or folders (default: components/)")
    p.add_argument("--format", choices=("text", "json"), default="text")


def _add_compile(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("compile", help="compile components into config.xml and Groovy")
    p.add_argument("-c", "--components", type=Path, default=Path("components"))
    p.add_argument("-o", "--output", type=Path, default=Path("build"))
    p.add_argument("--mode", choices=("prod", "test"), default="prod")


def _add_master(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("master", help="run the embedded fake Jenkins master on 127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--home", type=Path, default=Path(".jobgen/master"))
    p.add_argument("--user", default="admin")
    p.add_argument("--token", default=None, help="API token (default: generated and printed)")
    p.add_argument("--log", action="store_true", help="print every request as it is served")


def _add_test(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("test", help="run the Groovy pipeline scenarios with mocked steps")
    p.add_argument("-c", "--components", type=Path, default=Path("components"))
    p.add_argument("-k", dest="pattern", default=None, help="only scenarios matching PATTERN")
    p.add_argument("--update", action="store_true", help="rewrite the golden call files")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, one subparser per command."""
    parser = _Parser(prog="jobgen", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"jobgen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for add in (_add_validate, _add_compile, _add_master, _add_test):
        add(sub)
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    # Imported lazily so `jobgen validate` (a pre-commit hook) pays only for what it uses.
    if args.command == "validate":
        from jobgen.commands import validate

        return validate.run(args.paths or [Path("components")], output_format=args.format)
    if args.command == "compile":
        from jobgen.commands import compile as compile_command

        return compile_command.run(args.components, args.output, mode=args.mode)
    if args.command == "master":
        from jobgen.commands import master

        return master.run(
            port=args.port, home=args.home, user=args.user, token=args.token, log=args.log
        )
    if args.command == "test":
        from jobgen.commands import test as test_command

        return test_command.run(args.components, pattern=args.pattern, update=args.update)
    raise AssertionError(f"unhandled command {args.command}")


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED


if __name__ == "__main__":
    raise SystemExit(main())
