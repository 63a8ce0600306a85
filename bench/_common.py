"""Shared benchmark plumbing: fresh databases, server processes, wrk runs."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from pitchaseat.migrate import upgrade_database

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _recreate_server_database(url: str) -> None:
    parsed = make_url(url)
    name = parsed.database
    admin = parsed.set(database="test")  # the admin database on the bench machines
    engine = create_async_engine(admin, isolation_level="AUTOCOMMIT")
    async with engine.connect() as connection:
        if parsed.get_backend_name() == "postgresql":
            await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
        else:
            await connection.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
            await connection.execute(text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4"))
    await engine.dispose()


def fresh_database(url: str | None, label: str) -> str:
    """A new, migrated database: a temporary SQLite file unless a server URL is given."""
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix=f"pas-bench-{label}-"))
        url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
    else:
        asyncio.run(_recreate_server_database(url))
    upgrade_database(url)
    return url


@contextmanager
def server(
    args: list[str],
    env: dict[str, str],
    port: int,
    *,
    workers: int = 1,
    log_path: Path | None = None,
) -> Iterator[subprocess.Popen[bytes]]:
    # The server's own output goes to a file (``log_path``, or a temporary one): a pipe
    # nobody reads fills up and then blocks the server mid-run.
    log_file = (
        log_path.open("wb")
        if log_path is not None
        else tempfile.NamedTemporaryFile(prefix="pas-bench-server-", suffix=".log", delete=False)
    )
    log_name = str(log_path) if log_path is not None else log_file.name
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "uvicorn",
            *args,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            # With workers, the supervisor's notes (a worker replaced) go to the server log.
            "info" if workers > 1 else "warning",
            "--no-access-log",
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--workers",
            str(workers),
            # uvicorn kills a worker that does not answer its health check in time (5 s by
            # default), resetting every connection it holds; on a busy 2-core machine a
            # worker can be starved that long without being hung.
            "--timeout-worker-healthcheck",
            "60",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    deadline = time.monotonic() + 180  # a busy machine starts slowly
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
            break
        except httpx.HTTPError as error:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(Path(log_name).read_text()) from error
            time.sleep(0.2)
    try:
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log_file.close()
        server_log = Path(log_name).read_text()
        if server_log.strip() and log_path is None:
            print(f"  server log ({log_name}), last lines:")
            print("    " + "\n    ".join(server_log.strip().splitlines()[-15:]))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)", value)
    assert match, value
    return float(match.group(1)) * _UNITS[match.group(2)]


def wrk(url: str, *, seconds: int, connections: int, delay_ms: float | None = None) -> LoadResult:
    """One wrk run (one thread: the other core serves). A delay between a connection's
    requests gives a fixed, lighter load for latency at part of the maximum."""
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    script = None
    if delay_ms is not None:
        script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)
        script.write(f"function delay() return {max(0, int(delay_ms))} end\n")
        script.close()
        command[1:1] = ["-s", script.name]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if script is not None:
        Path(script.name).unlink()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors:.*", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(0)))
    return LoadResult(rps, p50, p99, errors)
