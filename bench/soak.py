"""Soak: a long, mixed load against one app process, watching for errors and memory creep.

Seeds a season, starts the app on 127.0.0.1 and runs N virtual fans for --minutes: most
browse (the listings API, game pages, the home page), some hold tickets and pay for most
of their holds (the sandbox), a few sellers upload photos to their own listings. Every
30 s it prints the requests so far, the errors by kind (a 5xx, a timeout, a refused
connection, a 4xx that the flow did not expect) and the app's resident memory; at the end,
the oversold tickets counted in SQL (must be 0).

    .venv/bin/python bench/soak.py --database-url sqlite --minutes 10
    .venv/bin/python bench/soak.py --minutes 10                  # PostgreSQL
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from PIL import Image
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import free_port, fresh_database, rss_mb, server
from _seed import seed
from checkout import CARDHOLDER, DELIVERY, _add_buyers, _log_in, _oversold

APP = ["pitchaseat.app:create_app", "--factory"]
POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/pas_bench_soak"
REPORT_SECONDS = 30
# Refusals a fan's flow runs into by design: sold out, a listing full of photos.
EXPECTED = {409}


@dataclass
class Figures:
    requests: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)

    async def call(self, kind: str, send: object) -> httpx.Response | None:
        self.requests[kind] += 1
        try:
            response: httpx.Response = await send  # type: ignore[misc]
        except httpx.TimeoutException:
            self.errors[f"{kind}: timeout"] += 1
            return None
        except httpx.TransportError as error:
            self.errors[f"{kind}: {type(error).__name__}"] += 1
            return None
        if response.status_code >= 500:
            self.errors[f"{kind}: {response.status_code}"] += 1
        elif response.status_code >= 400 and response.status_code not in EXPECTED:
            code = response.json().get("error", {}).get("code", "?")
            self.errors[f"{kind}: {response.status_code} {code}"] += 1
        return response


def _photo(rng: random.Random) -> bytes:
    buffer = io.BytesIO()
    colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
    Image.new("RGB", (1600, 1200), colour).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


async def _fan(
    http: httpx.AsyncClient,
    headers: dict[str, str],
    games: list[int],
    listings: list[int],
    figures: Figures,
    deadline: float,
    rng: random.Random,
) -> None:
    while time.monotonic() < deadline:
        roll = rng.random()
        game = rng.choice(games)
        if roll < 0.45:
            await figures.call("browse api", http.get(f"/api/v1/games/{game}/listings"))
        elif roll < 0.65:
            await figures.call(
                "game page", http.get(f"/games/{game}", headers={"accept": "text/html"})
            )
        elif roll < 0.75:
            await figures.call("home page", http.get("/", headers={"accept": "text/html"}))
        else:
            held = await figures.call(
                "hold",
                http.post(
                    "/api/v1/orders",
                    json={"listing_id": rng.choice(listings), "quantity": 1},
                    headers=headers,
                ),
            )
            if held is not None and held.status_code == 201 and rng.random() < 0.8:
                await figures.call(
                    "pay",
                    http.post(
                        f"/api/v1/orders/{held.json()['id']}/pay",
                        json={
                            "prime": "test_prime_ok",
                            "cardholder": CARDHOLDER,
                            "delivery": DELIVERY,
                        },
                        headers=headers,
                    ),
                )
        await asyncio.sleep(rng.uniform(0.05, 0.3))  # a fan reads before the next click


async def _seller(
    http: httpx.AsyncClient,
    headers: dict[str, str],
    games: list[int],
    figures: Figures,
    deadline: float,
    rng: random.Random,
) -> None:
    listing_id: int | None = None
    photos = 0
    while time.monotonic() < deadline:
        if listing_id is None or photos >= 5:
            created = await figures.call(
                "list",
                http.post(
                    "/api/v1/listings",
                    json={
                        "game_id": rng.choice(games),
                        "seat_area": "infield_1b",
                        "quantity": 2,
                        "face_value": 700,
                        "price": 650,
                        "delivery_method": "e_ticket",
                    },
                    headers=headers,
                ),
            )
            if created is None or created.status_code != 201:
                await asyncio.sleep(1)
                continue
            listing_id, photos = created.json()["id"], 0
        await figures.call(
            "upload",
            http.post(
                f"/api/v1/listings/{listing_id}/images",
                files={"file": ("ticket.jpg", _photo(rng), "image/jpeg")},
                headers=headers,
            ),
        )
        photos += 1
        await asyncio.sleep(rng.uniform(1.0, 3.0))


async def _report(figures: Figures, pid: int, started: float, deadline: float) -> None:
    while time.monotonic() < deadline:
        await asyncio.sleep(min(REPORT_SECONDS, max(0.0, deadline - time.monotonic())))
        elapsed = time.monotonic() - started
        errors = dict(figures.errors) or "none"
        print(
            f"  {elapsed:5.0f} s  requests {sum(figures.requests.values()):7d}  "
            f"app RSS {rss_mb(pid):6.1f} MiB  errors {errors}",
            flush=True,
        )


async def _drive(
    base: str,
    pid: int,
    emails: list[str],
    listings: list[int],
    games: list[int],
    args: argparse.Namespace,
) -> Figures:
    figures = Figures()
    minutes: float = args.minutes
    sellers: int = args.sellers
    limits = httpx.Limits(max_connections=len(emails) + 4)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as http:
        logins = [await _log_in(http, email) for email in emails]
        print(f"  start: app RSS {rss_mb(pid):.1f} MiB", flush=True)
        started = time.monotonic()
        deadline = started + minutes * 60
        await asyncio.gather(
            _report(figures, pid, started, deadline),
            *(
                _fan(http, headers, games, listings, figures, deadline, random.Random(n))
                for n, headers in enumerate(logins[sellers:])
            ),
            *(
                _seller(http, headers, games, figures, deadline, random.Random(-n))
                for n, headers in enumerate(logins[:sellers])
            ),
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=POSTGRES, help="a server URL, or 'sqlite'")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--fans", type=int, default=24)
    parser.add_argument("--sellers", type=int, default=2)
    parser.add_argument("--listings", type=int, default=3000)
    args = parser.parse_args()
    url = fresh_database(None if args.database_url == "sqlite" else args.database_url, "soak")
    games = seed(url, listings=args.listings, sellers=200)
    emails, stock = asyncio.run(_add_buyers(url, args.fans + args.sellers))
    listings = [item.listing_id for item in stock if not item.sell_together]
    backend = make_url(url).get_backend_name()
    print(f"{backend}: {args.fans} fans, {args.sellers} sellers, {args.minutes:g} min")
    data_dir = Path(tempfile.mkdtemp(prefix="pas-bench-soak-"))
    env = {
        "PITCHASEAT_DATABASE_URL": url,
        "PITCHASEAT_DATA_DIR": str(data_dir),
        "PITCHASEAT_HOLDS_PER_USER": "1000000/minute",
        # Every fan comes from one address here.
        "PITCHASEAT_LOGIN_ATTEMPTS_PER_IP": "100000/minute",
        "PITCHASEAT_LOG_LEVEL": "WARNING",
    }
    port = free_port()
    log_path = data_dir / "app.log"
    print(f"app log: {log_path}")
    with server(APP, env, port, log_path=log_path) as process:
        figures = asyncio.run(
            _drive(f"http://127.0.0.1:{port}", process.pid, emails, listings, games, args)
        )
        end_rss = rss_mb(process.pid)
    oversold, disagreeing = asyncio.run(_oversold(url))
    print(f"requests by kind: {dict(figures.requests)}")
    print(f"errors by kind:   {dict(figures.errors) or 'none'}   (target none)")
    print(f"app RSS at the end {end_rss:.1f} MiB")
    print(f"oversold tickets {oversold}, listings whose stock disagrees {disagreeing} (target 0)")


if __name__ == "__main__":
    main()
