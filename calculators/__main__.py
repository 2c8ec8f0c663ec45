"""Thin JSON command line: ``python -m calculators list | run ID --input JSON | tables``.

All output is JSON on stdout. One function (``exit_code``) maps outcomes to
exit codes: 0 for a result, 2 for any input error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from calculators.errors import CalculatorInputError
from calculators.registry import describe_all, get, parse_json_input, run
from calculators.tables import build_tables

EXIT_OK = 0
EXIT_INPUT_ERROR = 2


def exit_code(payload: dict[str, object] | list[object]) -> int:
    """The one place that maps an outcome to a process exit code."""
    if isinstance(payload, dict) and "errors" in payload:
        return EXIT_INPUT_ERROR
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m calculators", description="Guideline calculators (JSON in, JSON out)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="print every calculator declaration as JSON")
    run_parser = commands.add_parser("run", help="run one calculator")
    run_parser.add_argument("calculator_id", metavar="ID")
    run_parser.add_argument("--input", default="{}", help="inputs as a JSON object")
    commands.add_parser("tables", help="print the handbook tables as JSON")
    return parser


def _payload(args: argparse.Namespace) -> dict[str, object] | list[object]:
    if args.command == "list":
        return list(describe_all())
    if args.command == "tables":
        return [table.to_dict() for table in build_tables()]
    try:
        get(args.calculator_id)
        return dict(run(args.calculator_id, parse_json_input(args.input)).to_dict())
    except CalculatorInputError as exc:
        return exc.to_dict()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code instead of calling sys.exit (easier to test)."""
    args = _parser().parse_args(argv)
    payload = _payload(args)
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, allow_nan=False) + "\n")
    return exit_code(payload)


if __name__ == "__main__":
    sys.exit(main())
