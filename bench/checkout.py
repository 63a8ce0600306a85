"""Benchmark: many buyers checking out at once (hold, then pay against the sandbox).

Seeds a season with listings of 1-4 tickets, starts one app process, and lets N concurrent
buyers (64 by default) race: half of their holds go to a few "hot" listings (real contention,
most of those get 409), the rest spread over all listings. Prints completed checkouts per
second, hold / pay / checkout latency, and the number of oversold tickets (must be 0), checked
in SQL against every listing. On PostgreSQL it runs pgbench's simple-update test (``-N``) on
the same server in the same run and prints the ratio.

    .venv/bin/python bench/checkout.py                                     # PostgreSQL
    .venv/bin/python bench/checkout.py --database-url sqlite               # embedded
    .venv/bin/python bench/checkout.py \\
        --database-url mysql+asyncmy://root@127.0.0.1:3306/pas_bench_checkout

Needs pgbench (Debian's postgresql-client, on the machine with PostgreSQL) for the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _bare_checkout import (
    broker_settings,
    copy_database,
    drop_bench_queues,
    listing_chooser,
    run_bare,
)
from _common import ROOT, cpu_seconds, free_port, fresh_database, server
from _seed import seed
from _statements import CAPTURE_EMAIL, BareResult, Captured, capture_with, round_trips, statements
from pitchaseat.accounts.models import User
from pitchaseat.accounts.passwords import hash_password
from pitchaseat.db import create_engine, create_session_factory
from pitchaseat.listings.models import Listing
from pitchaseat.orders.models import Order, OrderStatus

APP = ["pitchaseat.app:create_app", "--factory"]
APP_POOL_SIZE = 20  # the app's pool: this many connections, and as many again in overflow
BARE_POOL_SIZE = 2 * APP_POOL_SIZE  # the bare loop may use as many connections as the app
BARE_CONCURRENCY_NOTE = f"one loop per buyer, {BARE_POOL_SIZE} connections"
POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/pas_bench_checkout"
PASSWORD = "Bench-Buyer-2099"
CARDHOLDER = {"name": "Bench Buyer", "email": "buyer@example.com", "phone_number": "0912345678"}
# Every delivery method's fields at once (each listing's method keeps what it needs).
DELIVERY = {
    "recipient_name": "Bench Buyer",
    "phone": "0912345678",
    "address": "100 Taipei City",
    "ticket_account": "bench-buyer",
}
CLIENT_KEEPALIVE_SECONDS = 2.0
TAKEN = (
    OrderStatus.pending_payment,
    OrderStatus.paid,
    OrderStatus.shipped,
    OrderStatus.completed,
    OrderStatus.disputed,
)


@dataclass
class Tally:
    hold_ms: list[float] = field(default_factory=list)
    pay_ms: list[float] = field(default_factory=list)
    checkout_ms: list[float] = field(default_factory=list)
    completed: int = 0
    sold_out: int = 0
    errors: dict[int | str, int] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    # From the start until the last buyer's last checkout ended (past the deadline).
    wall_seconds: float = 1.0


@dataclass(frozen=True)
class Stock:
    listing_id: int
    quantity: int
    sell_together: bool


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def _add_buyers(url: str, count: int) -> tuple[list[str], list[Stock]]:
    engine = create_engine(url)
    password_hash = await hash_password(PASSWORD)
    emails = [f"buyer{n}@bench.pitchaseat.tw" for n in range(count)]
    async with create_session_factory(engine)() as session, session.begin():
        await session.execute(
            insert(User),
            # Verified addresses: the soak's sellers among them post listings.
            [
                {
                    "email": e,
                    "password_hash": password_hash,
                    "display_name": e,
                    "email_verified": True,
                }
                for e in [*emails, CAPTURE_EMAIL]
            ],
        )
        rows = await session.execute(
            select(Listing.id, Listing.quantity, Listing.sell_together).order_by(Listing.id)
        )
        stock = [Stock(row.id, row.quantity, row.sell_together) for row in rows]
    await engine.dispose()
    return emails, stock


async def _log_in(http: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _buyer(
    http: httpx.AsyncClient,
    headers: dict[str, str],
    stock: list[Stock],
    hot: list[Stock],
    deadline: float,
    tally: Tally,
    rng: random.Random,
    interval: float,
) -> None:
    """One buyer: checkouts back to back, or (interval > 0) one started every ``interval``
    seconds, like a fan who takes a moment between checkouts."""
    if interval:
        await asyncio.sleep(rng.uniform(0, interval))
    while time.perf_counter() < deadline:
        cycle_started = time.perf_counter()
        try:
            await _checkout(http, headers, stock, hot, tally, rng)
        except httpx.TransportError as error:
            # Counted, not fatal: one dropped connection must not end the whole run.
            name = type(error).__name__
            tally.errors[name] = tally.errors.get(name, 0) + 1
        if interval:
            await asyncio.sleep(max(0.0, interval - (time.perf_counter() - cycle_started)))


async def _checkout(
    http: httpx.AsyncClient,
    headers: dict[str, str],
    stock: list[Stock],
    hot: list[Stock],
    tally: Tally,
    rng: random.Random,
) -> None:
    listing = rng.choice(hot if rng.random() < 0.5 else stock)
    quantity = listing.quantity if listing.sell_together else 1
    started = time.perf_counter()
    held = await http.post(
        "/api/v1/orders",
        json={"listing_id": listing.listing_id, "quantity": quantity},
        headers=headers,
    )
    tally.hold_ms.append((time.perf_counter() - started) * 1000)
    if held.status_code == 409:
        tally.sold_out += 1
        return
    if held.status_code != 201:
        tally.errors[held.status_code] = tally.errors.get(held.status_code, 0) + 1
        return
    paying = time.perf_counter()
    paid = await http.post(
        f"/api/v1/orders/{held.json()['id']}/pay",
        json={"prime": "test_prime_ok", "cardholder": CARDHOLDER, "delivery": DELIVERY},
        headers=headers,
    )
    done = time.perf_counter()
    tally.pay_ms.append((done - paying) * 1000)
    if paid.status_code == 200 and paid.json()["status"] == "paid":
        tally.completed += 1
        tally.checkout_ms.append((done - started) * 1000)
    else:
        tally.errors[paid.status_code] = tally.errors.get(paid.status_code, 0) + 1


def hot_listings(stock: list[Stock]) -> list[Stock]:
    return random.Random(2099).sample(stock, 20)


async def _drive(
    base: str,
    emails: list[str],
    stock: list[Stock],
    seconds: int,
    *,
    paced_share: float,
    cpu: CpuProbe,
) -> tuple[Tally, Tally]:
    """Full load first (the throughput), then the same buyers paced to ``paced_share`` of
    that throughput (the latency a fan sees on a busy but not saturated site)."""
    hot = hot_listings(stock)
    # The client lets an idle connection go well before the server does (uvicorn closes
    # after 5 s idle, httpx's own default is also 5 s): with equal timeouts a request sent
    # on a connection the server is closing at that instant dies with a reset.
    limits = httpx.Limits(
        max_connections=len(emails),
        max_keepalive_connections=len(emails),
        keepalive_expiry=CLIENT_KEEPALIVE_SECONDS,
    )
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        logins = await asyncio.gather(*(_log_in(http, email) for email in emails))

        async def phase(interval: float) -> Tally:
            tally = Tally()
            deadline = time.perf_counter() + seconds
            before = cpu.sample()
            await asyncio.gather(
                *(
                    _buyer(http, headers, stock, hot, deadline, tally, random.Random(n), interval)
                    for n, headers in enumerate(logins)
                )
            )
            after = cpu.sample()
            tally.cpu_seconds = {part: after[part] - before[part] for part in after}
            tally.wall_seconds = time.perf_counter() - deadline + seconds
            return tally

        full = await phase(0.0)
        attempts_per_second = len(full.hold_ms) / full.wall_seconds
        paced = await phase(len(emails) / max(1.0, attempts_per_second * paced_share))
    return full, paced


class CpuProbe:
    """CPU time used so far by each part of the run: the app processes (uvicorn and its
    workers), the database backends serving the bench's database, and this load generator."""

    def __init__(self, app_pid: int, database_pids: Callable[[], list[int]]) -> None:
        self.app_pid = app_pid
        self.database_pids = database_pids
        self._database_seen: dict[int, float] = {}

    def sample(self) -> dict[str, float]:
        app = sum(_cpu_or_zero(pid) for pid in [self.app_pid, *_children(self.app_pid)])
        for pid in self.database_pids():
            self._database_seen[pid] = max(self._database_seen.get(pid, 0.0), _cpu_or_zero(pid))
        times = os.times()
        return {
            "app processes": app,
            "database": sum(self._database_seen.values()),
            "load generator": times.user + times.system,
        }


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        found += [int(child) for child in children]
    return found + [grandchild for child in found for grandchild in _children(child)]


def _cpu_or_zero(pid: int) -> float:
    try:
        return cpu_seconds(pid)
    except OSError:
        return 0.0  # ended meanwhile


def _postgres_backends(url: str) -> Callable[[], list[int]]:
    """The server processes serving the bench's database (PostgreSQL: one per connection)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return list
    query = f"SELECT pid FROM pg_stat_activity WHERE datname = '{parsed.database}'"  # noqa: S608
    command = ["psql", "-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432)]
    command += ["-U", parsed.username or "postgres", "-d", "postgres", "-Atc", query]

    def pids() -> list[int]:
        output = subprocess.run(command, capture_output=True, text=True, check=False).stdout
        return [int(line) for line in output.split()]

    return pids


async def _oversold(url: str) -> tuple[int, int]:
    """(tickets sold or held beyond a listing's quantity, listings whose counts disagree)."""
    engine = create_engine(url)
    taken = (
        select(Order.listing_id, func.sum(Order.quantity).label("taken"))
        .where(Order.status.in_(TAKEN))
        .group_by(Order.listing_id)
        .subquery()
    )
    async with create_session_factory(engine)() as session:
        rows = (
            await session.execute(
                select(Listing.quantity, Listing.available_quantity, taken.c.taken).join(
                    taken, taken.c.listing_id == Listing.id
                )
            )
        ).all()
    await engine.dispose()
    oversold = sum(max(0, int(row.taken) - row.quantity) for row in rows)
    disagreeing = sum(1 for row in rows if row.available_quantity + int(row.taken) != row.quantity)
    return oversold, disagreeing


def pgbench_tps(url: str, clients: int, seconds: int) -> float | None:
    if shutil.which("pgbench") is None:
        print("  pgbench not found: no ratio")
        return None
    parsed = make_url(url)
    connect = ["-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432)]
    connect += ["-U", parsed.username or "postgres"]
    database = parsed.database or "pas_bench_checkout"
    subprocess.run(
        ["pgbench", *connect, "-i", "-q", "-s", "10", database], check=True, capture_output=True
    )
    output = subprocess.run(
        ["pgbench", *connect, "-N", "-c", str(clients), "-j", "2", "-T", str(seconds), database],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = re.search(r"tps = ([\d.]+)", output)
    return float(found.group(1)) if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=POSTGRES, help="a server URL, or 'sqlite'")
    parser.add_argument("--buyers", type=int, default=64)
    parser.add_argument("--listings", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--pgbench-clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=1, help="app processes")
    parser.add_argument(
        "--broker-url",
        help="hand the app's jobs (emails) to this broker, as a site with a worker process "
        "does, instead of running them in the app process (e.g. amqp://guest:guest@127.0.0.1/)",
    )
    parser.add_argument(
        "--app-source",
        type=Path,
        default=ROOT,
        help="the source tree whose app is measured (e.g. an older commit's, for a before/after)",
    )
    args = parser.parse_args()
    url = fresh_database(None if args.database_url == "sqlite" else args.database_url, "checkout")
    backend = make_url(url).get_backend_name()
    seed(url, listings=args.listings, sellers=200)
    emails, stock = asyncio.run(_add_buyers(url, args.buyers))
    print(
        f"{backend}: {len(stock)} listings, {sum(s.quantity for s in stock)} tickets, "
        f"{args.buyers} concurrent buyers, {args.seconds} s, app from {args.app_source}"
    )
    env = {
        "PITCHASEAT_DATABASE_URL": url,
        "PITCHASEAT_DATA_DIR": tempfile.mkdtemp(prefix="pas-bench-checkout-"),
        "PITCHASEAT_HOLDS_PER_USER": "1000000/minute",
        # Every buyer logs in from one address here.
        "PITCHASEAT_LOGIN_ATTEMPTS_PER_IP": "100000/minute",
        "PITCHASEAT_DATABASE_POOL_SIZE": str(APP_POOL_SIZE),
        "PITCHASEAT_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(args.app_source.resolve() / "src"),
        **broker_settings(args.broker_url),
    }
    bare_url = asyncio.run(copy_database(url)) if backend == "postgresql" else None
    captured = capture_with(args.app_source.resolve(), url, env) if bare_url else None
    port = free_port()
    with server(APP, env, port, workers=args.workers) as app:
        probe = CpuProbe(app.pid, _postgres_backends(url))
        full, paced = asyncio.run(
            _drive(
                f"http://127.0.0.1:{port}",
                emails,
                stock,
                args.seconds,
                paced_share=0.5,
                cpu=probe,
            )
        )
    drop_bench_queues(args.broker_url)
    oversold, disagreeing = asyncio.run(_oversold(url))
    _print_results(args.workers, full, paced, oversold, disagreeing)
    if bare_url is None or captured is None:
        return
    chooser = listing_chooser(stock, hot_listings(stock))
    bare = asyncio.run(run_bare(bare_url, captured, emails, chooser, args.seconds, BARE_POOL_SIZE))
    _print_limits(full, bare, captured, pgbench_tps(url, args.pgbench_clients, 15))


def _print_results(
    workers: int, full: Tally, paced: Tally, oversold: int, disagreeing: int
) -> None:
    print(f"results (app: {workers} process(es)):")
    for name, tally in (("full load", full), ("paced to half of it", paced)):
        rate = tally.completed / tally.wall_seconds
        print(
            f"  {name}: {rate:.1f} checkouts/s ({tally.completed} in {tally.wall_seconds:.1f} s), "
            f"{tally.sold_out} holds refused as sold out, unexpected: {tally.errors or 'none'}"
        )
        print(
            "    CPU used: "
            + ", ".join(
                f"{part} {used:.1f} s ({used / tally.wall_seconds:.0%} of one core)"
                for part, used in tally.cpu_seconds.items()
            )
        )
        for label, values in (
            ("hold", tally.hold_ms),
            ("pay", tally.pay_ms),
            ("checkout", tally.checkout_ms),
        ):
            print(
                f"    {label:<9} p50 {percentile(values, 0.5):7.1f} ms   "
                f"p99 {percentile(values, 0.99):7.1f} ms   ({len(values)} requests)"
            )
    print(f"  oversold tickets                   {oversold:8d}   (target 0)")
    print(f"  listings whose stock disagrees     {disagreeing:8d}   (target 0)")


def _print_limits(full: Tally, bare: BareResult, captured: Captured, tps: float | None) -> None:
    per_second = full.completed / full.wall_seconds
    bare_rate = bare.completed / bare.wall_seconds
    print("  SQL of one checkout (captured from the app; BEGIN/COMMIT counted in round trips):")
    for name, request in (("hold", captured.hold), ("payment", captured.pay)):
        transactions = sum(1 for t in request if t.statements and not t.autocommit)
        print(
            f"    {name:<8} {statements(request):3d} statements, {round_trips(request):3d} "
            f"round trips, {transactions} transaction(s)"
        )
    print(
        f"  bare-SQL limit (asyncpg, {BARE_CONCURRENCY_NOTE}): "
        f"{bare_rate:8.1f} checkouts/s ({bare.completed} in {bare.wall_seconds:.1f} s), "
        f"hold p99 {percentile(bare.hold_ms, 0.99):.1f} ms, pay p99 "
        f"{percentile(bare.pay_ms, 0.99):.1f} ms"
    )
    print(f"  checkouts / bare-SQL limit         {per_second / bare_rate:8.1%}   (target >= 50%)")
    if tps:
        print(f"  pgbench -N, same server            {tps:8.1f} tps")
        print(f"  checkouts / pgbench                {per_second / tps:8.1%}")


if __name__ == "__main__":
    main()
