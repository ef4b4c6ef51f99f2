"""Command line: `python -m mediconnect.cli migrate | seed | demo-logins`."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from mediconnect.core.settings import ROOT, get_settings


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a time (HH:MM): {text}") from exc


def cmd_migrate(args: argparse.Namespace) -> int:
    from alembic.config import Config

    from alembic import command

    ini = Path(ROOT) / "alembic.ini"
    if not ini.exists():
        print(f"no {ini}: the migrations are missing", file=sys.stderr)
        return 2
    config = Config(str(ini))
    if args.database_url:
        config.attributes["url"] = args.database_url  # alembic/env.py reads it
    command.upgrade(config, "head")
    print("Database is at the latest migration.")
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from mediconnect.seed.runner import SeedRefused, format_summary, seed_database

    settings = get_settings()
    url = args.database_url or settings.DATABASE_URL
    today = args.today or datetime.now(ZoneInfo(settings.TIMEZONE)).date()
    try:
        result = seed_database(
            url,
            args.scale,
            args.seed,
            today,
            args.time,
            settings.TIMEZONE,
            if_empty=args.if_empty,
            create_tables=args.create_tables,
            progress=not args.no_progress,
        )
    except SeedRefused as exc:
        print(f"seed: {exc}", file=sys.stderr)
        return 2
    if not result.skipped:
        print(format_summary(result))
    return 0


def cmd_demo_logins(_args: argparse.Namespace) -> int:
    from mediconnect.seed.demo_accounts import format_demo_logins

    print(format_demo_logins())
    return 0


def cmd_verify_audit(args: argparse.Namespace) -> int:
    """Exit 0 when the audit chain verifies, 1 (naming the first bad row) when it does not."""
    from sqlmodel import Session

    from mediconnect.core.audit import verify_chain
    from mediconnect.core.db import get_engine, make_engine

    engine = make_engine(args.database_url) if args.database_url else get_engine()
    with Session(engine) as session:
        result = verify_chain(session)
    if result.ok:
        print(f"audit chain OK: {result.rows_checked} rows; head id {result.last_id} hash {result.last_hash}")
        return 0
    print(f"audit chain BROKEN at row {result.first_bad_id}: {result.reason} "
          f"({result.rows_checked} rows checked)", file=sys.stderr)  # fmt: skip
    return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m mediconnect.cli", description="MediConnect administration"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    migrate = sub.add_parser("migrate", help="upgrade the database to the latest Alembic migration")
    migrate.add_argument("--database-url", help="defaults to DATABASE_URL from the settings")
    migrate.set_defaults(func=cmd_migrate)

    seed = sub.add_parser("seed", help="fill an empty database with deterministic demo data")
    seed.add_argument("--scale", choices=("tiny", "demo", "large"), default="demo")
    seed.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    seed.add_argument("--today", type=_date, help="anchor date, YYYY-MM-DD (default: today in TIMEZONE)")
    seed.add_argument(
        "--time",
        type=_clock,
        default=time(10, 30),
        help="the anchor's local time of day, HH:MM (default 10:30): what counts as 'now'",
    )
    seed.add_argument("--if-empty", action="store_true", help="do nothing if the database already has data")
    seed.add_argument("--database-url", help="defaults to DATABASE_URL from the settings")
    seed.add_argument(
        "--create-tables",
        action="store_true",
        help="development only: create missing tables from the models instead of migrating",
    )
    seed.add_argument("--no-progress", action="store_true", help="no progress bars")
    seed.set_defaults(func=cmd_seed)

    logins = sub.add_parser("demo-logins", help="print the demo accounts and their shared password")
    logins.set_defaults(func=cmd_demo_logins)

    verify = sub.add_parser("verify-audit", help="check the audit log's hash chain for edits and deletions")
    verify.add_argument("--database-url", help="defaults to DATABASE_URL")
    verify.set_defaults(func=cmd_verify_audit)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from mediconnect.bootstrap import wire

    wire()  # the commit hooks, as in the app and the worker: what the CLI commits invalidates too
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
