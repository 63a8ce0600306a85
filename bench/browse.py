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
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import LoadResult, free_port, fresh_database, rss_mb, server, wrk
from _seed import seed

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
    print(
        f"  {label:<44} {result.requests_per_second:9.0f} req/s  "
        f"p50 {result.p50_ms:6.2f} ms  p99 {result.p99_ms:6.2f} ms"
        f"{'  errors ' + str(result.errors) if result.errors else ''}{ratio}"
    )


def measure_limit(body: bytes, path: str, seconds: int) -> LoadResult:
    body_file = Path(tempfile.mkstemp(suffix=".json")[1])
    body_file.write_bytes(body)
    port = free_port()
    with server(["bench._bare_server:app"], {"BARE_BODY_FILE": str(body_file)}, port):
        return wrk(f"http://127.0.0.1:{port}{path}", seconds=seconds, connections=CONNECTIONS)


def listing_path(game_id: int) -> str:
    return f"/api/v1/games/{game_id}/listings?sort=price_asc&page_size=20"


def main_run(url: str, seconds: int) -> None:
    port = free_port()
    with server(APP, app_env(url, cache=True), port) as process:
        base = f"http://127.0.0.1:{port}"
        game_id = busiest_game(base)
        path = listing_path(game_id)
        body = httpx.get(base + path).content
        month = httpx.get(f"{base}/api/v1/games/{game_id}").json()["starts_at"][:7]
        print(f"game {game_id}: {len(body)} bytes per listing page, calendar month {month}")
        limit = measure_limit(body, path, seconds)
        print("results:")
        show("bare Starlette, same bytes (the limit)", limit)
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
        calendar = wrk(
            f"{base}/api/v1/calendar?month={month}", seconds=seconds, connections=CONNECTIONS
        )
        show("month calendar", calendar, limit.requests_per_second)
        print(f"  app process resident memory after the runs: {rss_mb(process.pid):.0f} MB")
    port = free_port()
    with server(APP, app_env(url, cache=False), port):
        uncached = wrk(f"http://127.0.0.1:{port}{path}", seconds=seconds, connections=CONNECTIONS)
        show("listing page, cache off", uncached, limit.requests_per_second)


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
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("bench/browse.py needs wrk: apt-get install wrk")

    if not args.scaling_only:
        url = fresh_database(args.database_url, "browse")
        print(f"seeding 360 games and {args.listings} listings into {url.split('://')[0]} ...")
        seed(url, listings=args.listings)
        main_run(url, args.seconds)

    if not args.skip_scaling:
        print("latency of one uncached listing page vs. total listings (SQLite, 1 connection):")
        small = latency_at(5_000, args.seconds)
        large = latency_at(500_000, args.seconds)
        show("5,000 listings", small)
        show("500,000 listings", large)
        print(f"  p50 ratio 500k/5k: {large.p50_ms / small.p50_ms:.2f}x (target <= 1.5x)")


if __name__ == "__main__":
    main()
