"""Generated requests over every operation of /openapi.json, as a logged-in user: counts
the answers by status and lists every server error (target: none) and every error body
that breaks API.md's contract.

Starts one app process on a fresh database with a small seeded season, registers and logs
in a user, then lets schemathesis generate requests per operation, round after round until
--requests have been sent.

    .venv/bin/python bench/schemathesis_auth.py --database-url sqlite --requests 10000
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import free_port, fresh_database, server
from _seed import seed

APP = ["pitchaseat.app:create_app", "--factory"]
POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/pas_bench_schema"
CREDENTIALS = {"email": "schema@example.com", "password": "Pitch-Seat-2027x"}
UNLIMITED = "1000000/minute"
_SNAKE_CASE = re.compile(r"^[a-z][a-z0-9_]*$")


def _log_in(base: str) -> dict[str, str]:
    httpx.post(f"{base}/api/v1/auth/register", json={**CREDENTIALS, "display_name": "Schema"})
    token = httpx.post(f"{base}/api/v1/auth/login", json=CREDENTIALS).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def _contract_problem(response: Any) -> str | None:
    if response.status_code < 400:
        return None
    try:
        error = response.json()["error"]
    except (ValueError, KeyError, TypeError):
        return "no {error: ...} body"
    if not (isinstance(error.get("code"), str) and _SNAKE_CASE.match(error["code"])):
        return f"bad code {error.get('code')!r}"
    if not (isinstance(error.get("message"), str) and error["message"]):
        return "no message"
    return None


def _probe(
    operation: Any,
    base: str,
    headers: dict[str, str],
    per_operation: int,
    statuses: Counter[int],
    problems: dict[str, list[str]],
) -> None:
    label = f"{operation.method.upper()} {operation.path}"

    @given(case=operation.as_strategy())
    @settings(
        max_examples=per_operation,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def probe(case: schemathesis.Case) -> None:
        auth = None if case.path.startswith("/api/v1/auth/logout") else headers
        response = case.call(base_url=base, headers=auth, timeout=30)
        statuses[response.status_code] += 1
        if response.status_code >= 500:
            problems["server errors"].append(f"{label} -> {response.status_code}")
        problem = _contract_problem(response)
        if problem:
            problems["error bodies off contract"].append(
                f"{label} -> {response.status_code}: {problem}"
            )

    probe()


def run(base: str, headers: dict[str, str], wanted: int, per_operation: int) -> int:
    schema = schemathesis.openapi.from_dict(httpx.get(f"{base}/openapi.json").json())
    operations = [result.ok() for result in schema.get_all_operations()]
    statuses: Counter[int] = Counter()
    problems: dict[str, list[str]] = {"server errors": [], "error bodies off contract": []}
    started = time.monotonic()
    rounds = 0
    while sum(statuses.values()) < wanted and rounds < 50:
        rounds += 1
        for operation in operations:
            _probe(operation, base, headers, per_operation, statuses, problems)
        errors = len(problems["server errors"])
        print(f"  round {rounds}: {sum(statuses.values())} requests, {errors} server errors")
    seconds = time.monotonic() - started
    print(f"operations: {len(operations)}; requests: {sum(statuses.values())} in {seconds:.0f} s")
    print(f"by status: {dict(sorted(statuses.items()))}")
    for name, found in problems.items():
        print(f"{name}: {len(found)}   (target 0)")
        for line in sorted(set(found))[:20]:
            print(f"  {line}")
    return sum(len(found) for found in problems.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=POSTGRES, help="a server URL, or 'sqlite'")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--per-operation", type=int, default=60)
    args = parser.parse_args()
    url = fresh_database(None if args.database_url == "sqlite" else args.database_url, "schema")
    seed(url, listings=300, sellers=50)
    data_dir = Path(tempfile.mkdtemp(prefix="pas-bench-schema-"))
    env = {
        "PITCHASEAT_DATABASE_URL": url,
        "PITCHASEAT_DATA_DIR": str(data_dir),
        "PITCHASEAT_LOG_LEVEL": "WARNING",
        "PITCHASEAT_HOLDS_PER_USER": UNLIMITED,
        "PITCHASEAT_LOGIN_ATTEMPTS_PER_IP": UNLIMITED,
        "PITCHASEAT_LOGIN_ATTEMPTS_PER_ACCOUNT": UNLIMITED,
        "PITCHASEAT_LOGIN_ATTEMPTS_PER_ACCOUNT_IP": UNLIMITED,
        "PITCHASEAT_REGISTRATIONS_PER_IP": UNLIMITED,
        "PITCHASEAT_SIGN_IN_LINKS_PER_ACCOUNT": UNLIMITED,
    }
    print(f"{make_url(url).get_backend_name()}: at least {args.requests} requests")
    port = free_port()
    log_path = data_dir / "app.log"
    print(f"app log: {log_path}")
    with server(APP, env, port, log_path=log_path):
        base = f"http://127.0.0.1:{port}"
        problems = run(base, _log_in(base), args.requests, args.per_operation)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
