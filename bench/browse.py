"""Benchmark: a game's listing page under load, against the physical limit of one process.

Seeds 360 games and 50,000 listings, then drives one app process with wrk (one connection
thread on the other core) and, in the same run, a bare Starlette endpoint serving the very same
response bytes on the same server stack (uvicorn, uvloop, httptools). Prints both, their ratio,
and the issue's other figures.

    .venv/bin/python bench/browse.py                       # SQLite (embedded default)
    .venv/bin/python bench/browse.py --mariadb mysql+aiomysql://root@127.0.0.1:3306/pas_bench

Needs Debian's wrk (apt-get install wrk).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import LoadResult, cpu_seconds, free_port, fresh_database, rss_mb, server, wrk
from _seed import seed
from pitchaseat.migrate import upgrade_database

APP = ["pitchaseat.app:create_app", "--factory"]
CONNECTIONS = 32


def app_env(url: str, *, cache: bool) -> dict[str, str]:
    return {
        "PITCHASEAT_DATABASE_URL": url,
        "PITCHASEAT_DATA_DIR": tempfile.mkdtemp(prefix="pas-bench-data-"),
        "PITCHASEAT_PAGE_CACHE_ENABLED": "true" if cache else "false",
        "PITCHASEAT_LOG_LEVEL": "INFO",
    }


def busiest_game(base: str) -> int:
    games = httpx.get(f"{base}/api/v1/games", params={"page_size": 100}).json()["items"]
    return int(max(games, key=lambda game: game["listing_count"])["id"])


def show(label: str, result: LoadResult, limit: float | None = None) -> None:
    ratio = f"  = {result.requests_per_second / limit:6.1%} of the limit" if limit else ""
    cpu_us = getattr(result, "cpu_us", 0.0)
    cpu = f"  {cpu_us:5.0f} us CPU/req" if cpu_us else ""
    print(
        f"  {label:<44} {result.requests_per_second:7.0f} req/s  "
        f"p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:7.2f} ms{cpu}"
        f"{'  errors ' + str(result.errors) if result.errors else ''}{ratio}"
    )


@dataclass(frozen=True)
class Measured(LoadResult):
    cpu_us: float = 0.0  # the server process's CPU per request


def wrk_measured(pid: int, url: str, seconds: int) -> Measured:
    """A wrk run and the CPU the server used per request: on a shared machine the rate moves
    with the neighbours' load, the CPU a request costs much less."""
    before = cpu_seconds(pid)
    result = wrk(url, seconds=seconds, connections=CONNECTIONS)
    used = cpu_seconds(pid) - before
    requests = max(1.0, result.requests_per_second * seconds)
    return Measured(**vars(result), cpu_us=1e6 * used / requests)


def measure_limit(body: bytes, path: str, seconds: int) -> Measured:
    body_file = Path(tempfile.mkstemp(suffix=".json")[1])
    body_file.write_bytes(body)
    port = free_port()
    with server(["bench._bare_server:app"], {"BARE_BODY_FILE": str(body_file)}, port) as bare:
        return wrk_measured(bare.pid, f"http://127.0.0.1:{port}{path}", seconds)


def listing_path(game_id: int) -> str:
    return f"/api/v1/games/{game_id}/listings?sort=price_asc&page_size=20"


def main_run(url: str, seconds: int, *, uncached_only: bool) -> None:
    port = free_port()
    with server(APP, app_env(url, cache=True), port) as process:
        base = f"http://127.0.0.1:{port}"
        game_id = busiest_game(base)
        path = listing_path(game_id)
        body = httpx.get(base + path).content
        month = httpx.get(f"{base}/api/v1/games/{game_id}").json()["starts_at"][:7]
        calendar_path = f"/api/v1/calendar?month={month}"
        calendar_body = httpx.get(base + calendar_path).content
        print(
            f"game {game_id}: {len(body)} bytes per listing page; "
            f"calendar {month}: {len(calendar_body)} bytes"
        )
        limit = measure_limit(body, path, seconds)
        calendar_limit = measure_limit(calendar_body, calendar_path, seconds)
        print("results:")
        show("bare Starlette, listing bytes (the limit)", limit)
        show("bare Starlette, calendar bytes (its limit)", calendar_limit)
        if not uncached_only:
            cached = wrk(base + path, seconds=seconds, connections=CONNECTIONS)
            show("listing page, cached", cached, limit.requests_per_second)
            half_rate = cached.requests_per_second / 2
            paced = wrk(
                base + path,
                seconds=seconds,
                connections=CONNECTIONS,
                delay_ms=1000 * CONNECTIONS / half_rate,
            )
            show("listing page, cached, at ~half its max load", paced, limit.requests_per_second)
            calendar = wrk(base + calendar_path, seconds=seconds, connections=CONNECTIONS)
            show("month calendar, cached", calendar, calendar_limit.requests_per_second)
            print(f"  app process resident memory after the runs: {rss_mb(process.pid):.0f} MB")
    port = free_port()
    with server(APP, app_env(url, cache=False), port) as app:
        base = f"http://127.0.0.1:{port}"
        uncached = wrk_measured(app.pid, base + path, seconds)
        calendar_uncached = wrk_measured(app.pid, base + calendar_path, seconds)
    # The limit again after the app's runs: on a shared machine one measurement can land in a
    # busy moment; the better of the two is the limit (the ratios only get stricter).
    limit_after = measure_limit(body, path, seconds)
    calendar_limit_after = measure_limit(calendar_body, calendar_path, seconds)
    show("bare Starlette, listing bytes, again", limit_after)
    show("bare Starlette, calendar bytes, again", calendar_limit_after)
    best = max(limit.requests_per_second, limit_after.requests_per_second)
    calendar_best = max(
        calendar_limit.requests_per_second, calendar_limit_after.requests_per_second
    )
    show("listing page, cache off", uncached, best)
    show("month calendar, cache off", calendar_uncached, calendar_best)
    bare_cpu = min(limit.cpu_us, limit_after.cpu_us)
    calendar_bare_cpu = min(calendar_limit.cpu_us, calendar_limit_after.cpu_us)
    print("  CPU per request, bare / app (the share one busy core would give):")
    print(f"    listing page, cache off    {bare_cpu / uncached.cpu_us:6.1%}")
    print(f"    month calendar, cache off  {calendar_bare_cpu / calendar_uncached.cpu_us:6.1%}")


def latency_at(listings: int, seconds: int) -> LoadResult:
    url = fresh_database(None, f"scale{listings}")
    seed(url, listings=listings)
    port = free_port()
    with server(APP, app_env(url, cache=False), port):
        base = f"http://127.0.0.1:{port}"
        return wrk(base + listing_path(busiest_game(base)), seconds=seconds, connections=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", help="server database URL (default: a SQLite file)")
    parser.add_argument("--listings", type=int, default=50_000)
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument("--scaling-only", action="store_true")
    parser.add_argument("--uncached-only", action="store_true", help="only the cache-off runs")
    parser.add_argument("--reuse", action="store_true", help="keep a seeded server database")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/browse.py needs wrk: apt-get install wrk")

    if not args.scaling_only:
        if args.reuse and args.database_url:
            url = args.database_url
            upgrade_database(url)  # a database seeded by an older checkout
        else:
            url = fresh_database(args.database_url, "browse")
            print(f"seeding 360 games and {args.listings} listings into {url} ...")
            seed(url, listings=args.listings)
        main_run(url, args.seconds, uncached_only=args.uncached_only)

    if not args.skip_scaling:
        print("latency of one uncached listing page vs. total listings (SQLite, 1 connection):")
        small = latency_at(5_000, args.seconds)
        large = latency_at(500_000, args.seconds)
        show("5,000 listings", small)
        show("500,000 listings", large)
        print(f"  p50 ratio 500k/5k: {large.p50_ms / small.p50_ms:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
