"""The operator's command line: ``pitchaseat serve | worker | db | demo | games | listings |
orders | jobs | payouts``."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.catalog.importer import ScheduleImportFailed, import_schedule
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.demo import DEMO_LOGINS, load_demo
from pitchaseat.listings.service import expire_started_listings
from pitchaseat.migrate import upgrade_database
from pitchaseat.operator_cli import (
    add_game_commands,
    add_order_commands,
    add_recs_commands,
    add_top_level_commands,
)
from pitchaseat.orders.holds import release_expired_holds
from pitchaseat.recs import evaluation as recs_evaluation
from pitchaseat.runtime import build_storage
from pitchaseat.settings import Settings, SettingsError, get_settings
from pitchaseat.timeutil import TAIPEI, utcnow

ResultT = TypeVar("ResultT")


def _prepare_data_dir(settings: Settings) -> None:
    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)


async def _in_transaction(
    settings: Settings, work: Callable[[AsyncSession], Awaitable[ResultT]]
) -> ResultT:
    engine = create_engine(settings.effective_database_url)
    try:
        async with create_session_factory(engine)() as session, session.begin():
            return await work(session)
    finally:
        await engine.dispose()


def cmd_db_upgrade(settings: Settings, args: argparse.Namespace) -> int:
    _prepare_data_dir(settings)
    upgrade_database(settings.effective_database_url, args.revision)
    print(f"database upgraded to {args.revision}")
    return 0


def cmd_demo(settings: Settings, args: argparse.Namespace) -> int:
    _prepare_data_dir(settings)
    upgrade_database(settings.effective_database_url)
    today = utcnow().astimezone(TAIPEI).date()
    storage = build_storage(settings)
    summary = asyncio.run(_in_transaction(settings, lambda s: load_demo(s, today, storage)))
    print(
        f"demo data ready: season {summary.season} "
        f"({summary.games_created} games added, {summary.users_created} users added, "
        f"{summary.listings_created} listings added)"
    )
    print("demo log-ins:")
    for login in DEMO_LOGINS:
        print(f"  {login.email} / {login.password}")
    return 0


def cmd_games_import(settings: Settings, args: argparse.Namespace) -> int:
    text = Path(args.file).read_text(encoding="utf-8-sig")
    try:
        result = asyncio.run(_in_transaction(settings, lambda s: import_schedule(s, text)))
    except ScheduleImportFailed as failure:
        print(f"{args.file}: nothing imported, {len(failure.details['errors'])} bad row(s):")
        for error in failure.details["errors"]:
            print(f"  line {error['line']}: {error['message']}", file=sys.stderr)
        return 1
    print(f"{args.file}: imported {result.created} games")
    return 0


def cmd_listings_expire(settings: Settings, args: argparse.Namespace) -> int:
    expired = asyncio.run(_in_transaction(settings, lambda s: expire_started_listings(s)))
    print(f"{expired} listing(s) of started games marked expired")
    return 0


def cmd_orders_expire_holds(settings: Settings, args: argparse.Namespace) -> int:
    released = asyncio.run(_in_transaction(settings, lambda s: release_expired_holds(s)))
    print(f"{released} expired hold(s) released")
    return 0


def cmd_recs_evaluate(settings: Settings, args: argparse.Namespace) -> int:
    report = recs_evaluation.run_evaluation(args.fans, args.seeds)
    print(recs_evaluation.format_report(report))
    return 0


def cmd_recs_tune(settings: Settings, args: argparse.Namespace) -> int:
    from pitchaseat.recs.evaluation.fit import fit_weights

    print(fit_weights(args.fans))
    return 0


def _seeds(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of seeds: {text!r}") from None


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    if args.workers > 1 and not settings.redis_url:
        # Each process would keep its own page cache (stale after another's change), its own
        # rate-limit counts and its own live-notification fan-out.
        print(
            "several workers need PITCHASEAT_REDIS_URL: the processes share the page cache, "
            "rate limits and live notifications through it",
            file=sys.stderr,
        )
        return 2
    _prepare_data_dir(settings)
    host = args.host or settings.host
    port = args.port or settings.port
    print(f"Pitch-A-Seat is running at http://{host}:{port}/  (API docs: /docs)")
    uvicorn.run(
        "pitchaseat.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=args.workers,
        # uvicorn kills a worker that misses its health check (5 s by default) and with it
        # every connection that worker holds; a worker starved of CPU that long under a rush
        # is busy, not hung.
        timeout_worker_healthcheck=60,
        log_level="warning",
        # Only the configured proxies' X-Forwarded-* headers are believed (web/deps.py too).
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=settings.trusted_proxies or None,
    )
    return 0


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    from pitchaseat.worker import run_worker

    _prepare_data_dir(settings)
    broker = settings.broker_url.split("@")[-1] if settings.broker_url else "in-process"
    print(f"worker: jobs from {broker}, periodic jobs every {settings.scheduler_interval_seconds}s")
    asyncio.run(run_worker(settings))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pitchaseat", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web app and API")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser(
        "worker", help="run the background jobs (email) and the periodic scheduler"
    )
    worker.set_defaults(handler=cmd_worker)

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    upgrade = db_commands.add_parser("upgrade", help="apply the Alembic migrations")
    upgrade.add_argument("--revision", default="head")
    upgrade.set_defaults(handler=cmd_db_upgrade)

    demo = commands.add_parser("demo", help="migrate and load demo data (idempotent)")
    demo.set_defaults(handler=cmd_demo)

    games = commands.add_parser("games", help="the season's games")
    games_commands = games.add_subparsers(dest="games_command", required=True)
    games_import = games_commands.add_parser("import", help="import a schedule CSV")
    games_import.add_argument("file", help="CSV file; see docs/schedule-csv.md")
    games_import.set_defaults(handler=cmd_games_import)
    add_game_commands(games_commands)

    listings = commands.add_parser("listings", help="ticket listings")
    listings_commands = listings.add_subparsers(dest="listings_command", required=True)
    expire = listings_commands.add_parser(
        "expire", help="mark listings of games that have started as expired"
    )
    expire.set_defaults(handler=cmd_listings_expire)

    orders = commands.add_parser("orders", help="orders and checkout holds")
    orders_commands = orders.add_subparsers(dest="orders_command", required=True)
    expire_holds = orders_commands.add_parser(
        "expire-holds", help="cancel holds past their time and return their tickets"
    )
    expire_holds.set_defaults(handler=cmd_orders_expire_holds)
    add_order_commands(orders_commands)
    add_top_level_commands(commands)

    recs = commands.add_parser("recs", help="ticket recommendations")
    recs_commands = recs.add_subparsers(dest="recs_command", required=True)
    recs_evaluate = recs_commands.add_parser(
        "evaluate", help="offline evaluation on synthetic fans (docs/recommendations.md)"
    )
    recs_evaluate.add_argument("--fans", type=int, default=recs_evaluation.REPORT_FANS)
    recs_evaluate.add_argument(
        "--seeds", type=_seeds, default=recs_evaluation.REPORT_SEEDS, help="e.g. 2027,2028"
    )
    recs_evaluate.set_defaults(handler=cmd_recs_evaluate)
    recs_tune = recs_commands.add_parser(
        "tune", help="fit the recommender's weights on the tuning fan models (prints them)"
    )
    recs_tune.add_argument("--fans", type=int, default=recs_evaluation.TUNING_FANS)
    recs_tune.set_defaults(handler=cmd_recs_tune)
    add_recs_commands(recs_commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except (SettingsError, ValueError) as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return 2
    handler: Callable[[Settings, argparse.Namespace], int] = args.handler
    return handler(settings, args)


if __name__ == "__main__":
    sys.exit(main())
