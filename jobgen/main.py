"""The `jobgen` command line: the only module that touches argparse.

Each subcommand is a module under jobgen/commands/ with one typed `run`
function returning an exit code (see jobgen.diagnostics.ExitCode).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from jobgen import __version__, lifetime
from jobgen.diagnostics import ExitCode

DESCRIPTION = """\
jobgen compiles a repository of YAML component files into versioned, immutable
Jenkins jobs and deploys them through the Jenkins REST API.

Start a jobs repository with `jobgen init`; then `jobgen validate`, `jobgen
test`, `jobgen deploy`. Every command works from any folder of the repository:
it finds the root (the folder holding jobgen.yaml) upward from where you are.
"""

EPILOG = """\
exit codes: 0 ok, 1 invalid input (or a master that refused), 2 usage error,
3 internal error (--debug shows the traceback), 5 no test selected (test -k),
130 interrupted; `jobgen diff`: 0 nothing to change, 1 changes, 2 error.
"""

ROOT_DEFAULT = "default: components/ of the repository root"


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """Help texts with their defaults: `(default: X)` added unless the text already says it."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        shown = action.default not in (None, False, [], argparse.SUPPRESS)
        if shown and "default" not in text and action.option_strings:
            text += " (default: %(default)s)"
        return text


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors already; every parser shows option defaults."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]


def _components(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "-c", "--components", type=Path, default=None, help=f"component folder ({ROOT_DEFAULT})"
    )


def _add_validate(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("validate", help="check component files; all errors at once")
    p.add_argument("paths", nargs="*", type=Path, help=f"files or folders ({ROOT_DEFAULT})")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument(
        "--explain",
        metavar="COMPONENT",
        default=None,
        help="print COMPONENT (a name or file) merged with its defaults and templates, "
        "each value with the FILE:LINE it came from (default: off)",
    )


def _add_compile(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("compile", help="compile components into config.xml and Groovy")
    _components(p)
    p.add_argument(
        "-o", "--output", type=Path, default=None, help="build folder (default: build/ of the root)"
    )
    p.add_argument(
        "--mode", choices=("prod", "test"), default="prod", help="test: Groovy with mocked steps"
    )
    p.add_argument(
        "--target", default=None, help="also the self-deploy jobs this target's master runs"
    )


def _add_install_hook(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("install-hook", help="a git pre-commit hook that runs jobgen validate")
    _components(p)
    p.add_argument("--force", action="store_true", help="replace a hook jobgen did not write")


def _add_master(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("master", help="run the embedded fake Jenkins master on 127.0.0.1")
    p.add_argument("--port", type=int, default=8080, help="port on 127.0.0.1 (0: any free one)")
    p.add_argument(
        "--home", type=Path, default=None, help="its state (default: .jobgen/master of the root)"
    )
    p.add_argument("--user", default="admin", help="the user the API token belongs to")
    p.add_argument("--token", default=None, help="API token (default: generated and printed)")
    p.add_argument(
        "--token-file", type=Path, default=None, help="read the API token from this file"
    )
    p.add_argument("--log", action="store_true", help="print every request as it is served")
    p.add_argument(
        "--run-pipelines", action="store_true", help="run pipelines' Groovy (docs/promise.md)"
    )
    p.add_argument(
        "--quiet-period",
        type=float,
        default=5.0,
        help="seconds a queued build waits before it starts (default: 5, as Jenkins)",
    )
    p.add_argument(
        "--verbatim-config",
        action="store_true",
        help="store config.xml bytes as uploaded instead of re-serialising them as Jenkins does",
    )
    p.add_argument(
        "--run-shell",
        action="store_true",
        help="with --run-pipelines, run their sh steps for real in HOME/workspace (docs/master.md)",
    )


def _add_test(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("test", help="run the Groovy pipeline scenarios with mocked steps")
    _components(p)
    p.add_argument(
        "-k", dest="pattern", default=None, help="only scenarios matching PATTERN (exit 5: none)"
    )
    p.add_argument("--update", action="store_true", help="rewrite the golden call files")
    p.add_argument("--junit-xml", type=Path, default=None, help="also write a JUnit XML report")


def _add_graph(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("graph", help="components and their dependencies (or jobs and calls)")
    _components(p)
    p.add_argument(
        "--format", choices=("dot", "mermaid", "svg"), default="dot", help="output format"
    )
    p.add_argument("--jobs", action="store_true", help="every job and the jobs it calls")


def _add_affected(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("affected", help="components and jobs whose deployed names changed")
    _components(p)
    p.add_argument("--since", required=True, metavar="REV", help="compare REV with HEAD")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def _add_master_choice(p: argparse.ArgumentParser) -> None:
    _components(p)
    where = p.add_mutually_exclusive_group()
    where.add_argument("--target", help="a target named in jobgen.yaml (default: embedded master)")
    where.add_argument("--url", help="a master by URL; credentials in JOBGEN_USER / JOBGEN_TOKEN")


def _add_deploy(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("deploy", help="create the missing versioned jobs on a master")
    _add_master_choice(p)
    p.add_argument("--workers", type=int, default=None, help="parallel requests (default 8)")
    p.add_argument("--force", action="store_true", help="recreate drifted jobs")
    p.add_argument("--verify", action="store_true", help="read every config; refuse drift")
    p.add_argument("--allow-dirty", action="store_true", help="deploy uncommitted jobs")
    p.add_argument(
        "--skip-plugin-check",
        action="store_true",
        help="do not read the master's plugin list (it needs Overall/SystemRead)",
    )


def _add_diff(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("diff", help="dry run: what deploy and prune would change (exit 1 if any)")
    _add_master_choice(p)
    p.add_argument("--keep-days", type=float, default=7, help="prune's age limit, in days")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")


def _add_prune(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser(
        "prune", help="delete managed jobs not in the current set and not run lately"
    )
    _add_master_choice(p)
    p.add_argument("--keep-days", type=float, default=7, help="keep what ran in this many days")
    p.add_argument("--dry-run", action="store_true", help="list what would go and why")
    p.add_argument("--disable", action="store_true", help="disable instead of deleting")


def _add_rollback(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("rollback", help="point the aliases back at the previous deployed set")
    _add_master_choice(p)


def _add_trigger(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("trigger", help="start a job, print its build URL (and its result)")
    _add_master_choice(p)
    p.add_argument("job", help="a common name (its alias or newest version) or a full name")
    p.add_argument("--param", action="append", default=[], metavar="K=V", help="a parameter")
    p.add_argument("--wait", action="store_true", help="wait for the result: exit 0 on SUCCESS")
    p.add_argument("--timeout", type=float, default=600.0, help="seconds to wait at most")


def _add_init(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser("init", help="start a jobs repository that validates, tests and deploys")
    p.add_argument("dir", nargs="?", type=Path, default=Path("."), help="the folder to fill")
    p.add_argument("--owner", default=None, help="who owns the jobs (default: DIR's name)")


def _add_functional_test(sub: argparse._SubParsersAction[_Parser]) -> None:
    p = sub.add_parser(
        "functional-test", help="N promise runs at R/s: counts callbacks, losses, latencies"
    )
    _add_master_choice(p)
    p.add_argument("--jobs", type=int, default=100, help="how many runs to submit")
    p.add_argument("--rate", type=float, default=10.0, help="submissions per second")
    p.add_argument("--job", default="process_model", help="the orchestration to submit")
    p.add_argument(
        "--timeout", type=float, default=None, help="seconds at most (default: jobs/rate + 120)"
    )
    p.add_argument("--json", action="store_true", help="print the figures as JSON")


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser, one subparser per command."""
    parser = _Parser(prog="jobgen", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"jobgen {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="on an internal error, print the traceback"
    )
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, metavar="COMMAND"
    )
    commands = [_add_init, _add_validate, _add_compile, _add_master, _add_test, _add_graph]
    commands += [_add_affected, _add_deploy, _add_diff, _add_prune, _add_rollback]
    commands += [_add_install_hook, _add_trigger, _add_functional_test]
    for add in commands:
        add(sub)
    for choice in sub._choices_actions:
        # `jobgen NAME --help` starts with the same line `jobgen --help` shows for NAME.
        sub.choices[choice.dest].description = choice.help
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    # Imported lazily so `jobgen validate` (a pre-commit hook) pays only for what it uses.
    from jobgen.commands import workspace

    if args.command == "init":
        from jobgen.commands import init

        return init.run(args.dir, owner=args.owner)
    if args.command == "master":
        from jobgen.commands import master

        return master.run(
            port=args.port,
            home=workspace.default_under_root(args.home, f"{workspace.STATE}/master"),
            user=args.user,
            token=args.token,
            log=args.log,
            run_pipelines=args.run_pipelines,
            token_file=args.token_file,
            quiet_period=args.quiet_period,
            verbatim_config=args.verbatim_config,
            run_shell=args.run_shell,
        )
    if args.command == "validate":
        from jobgen.commands import validate

        paths = workspace.existing_paths(args.paths)
        return validate.run(paths, output_format=args.format, explain=args.explain)
    if args.command in ("trigger", "functional-test"):
        # Neither needs the component files: a master by URL is enough.
        args.components = workspace.default_under_root(args.components, workspace.COMPONENTS)
        return _dispatch_master_commands(args)
    args.components = workspace.components_folder(args.components)
    if args.command == "compile":
        from jobgen.commands import compile as compile_command

        output = workspace.default_under_root(args.output, workspace.BUILD)
        return compile_command.run(args.components, output, mode=args.mode, target=args.target)
    if args.command == "install-hook":
        from jobgen.commands import install_hook

        return install_hook.run(args.components, force=args.force)
    if args.command == "test":
        from jobgen.commands import test as test_command

        return test_command.run(
            args.components, pattern=args.pattern, update=args.update, junit_xml=args.junit_xml
        )
    if args.command == "graph":
        from jobgen.commands import graph

        return graph.run(args.components, output_format=args.format, jobs=args.jobs)
    if args.command == "affected":
        from jobgen.commands import affected

        return affected.run(args.components, since=args.since, output_format=args.format)
    return _dispatch_master_commands(args)


def _dispatch_master_commands(args: argparse.Namespace) -> int:
    where = {"components": args.components, "target": args.target, "url": args.url}
    if args.command == "deploy":
        from jobgen.commands import deploy

        return deploy.run(
            **where,
            workers=args.workers,
            force=args.force,
            allow_dirty=args.allow_dirty,
            verify=args.verify,
            check_plugins=not args.skip_plugin_check,
        )
    if args.command == "diff":
        from jobgen.commands import diff

        return diff.run(**where, keep_days=args.keep_days, output_format=args.format)
    if args.command == "prune":
        from jobgen.commands import prune

        return prune.run(
            **where, keep_days=args.keep_days, dry_run=args.dry_run, disable=args.disable
        )
    if args.command == "rollback":
        from jobgen.commands import rollback

        return rollback.run(**where)
    if args.command == "trigger":
        from jobgen.commands import trigger

        return trigger.run(
            **where, job=args.job, params=args.param, wait=args.wait, timeout=args.timeout
        )
    if args.command == "functional-test":
        from jobgen.functional import promise_load

        return promise_load.run(
            **where,
            jobs=args.jobs,
            rate=args.rate,
            job=args.job,
            timeout=args.timeout,
            as_json=args.json,
        )
    raise AssertionError(f"unhandled command {args.command}")


def command() -> NoReturn:
    """The `jobgen` command line: `main`, then the end of the process (jobgen/lifetime.py)."""
    lifetime.end_after(main)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run one command; returns the exit code."""
    args = build_parser().parse_args(argv)
    name = f"jobgen {args.command}"
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return _closed_pipe()
    except Exception as error:  # every other failure: one line, or the traceback on request
        from jobgen.commands.failure import report

        return report(name, error, debug=args.debug)


def _closed_pipe() -> int:
    # The reader (`| head -1`) has all it wanted: no traceback, and none at exit either,
    # when Python flushes stdout into the closed pipe again.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return ExitCode.CLOSED_PIPE


if __name__ == "__main__":
    command()
