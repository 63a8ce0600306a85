"""deploy/alerts.yml: promtool accepts it, its unit tests fire, and it names only metrics that
/metrics exports."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
import yaml
from sqlalchemy.ext.asyncio import AsyncSession

from pitchaseat.ops.scheduler import claim_tick
from pitchaseat.worker import PERIODIC
from tests.ops.metrics_support import scrape

DEPLOY = Path(__file__).parents[2] / "deploy"
# Series that Prometheus makes itself rather than scraping them.
PROMETHEUS_OWN = {"up"}
METRIC_NAME = re.compile(r"\b(pas_[a-z0-9_]+|up)\b(?=\s*[{\[)=!<>*/+-]|\s*$)")


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("promtool")
    if tool is None:
        pytest.skip("promtool is missing (Debian's prometheus package; .ci/run installs it)")
    return subprocess.run(  # noqa: S603 - fixed arguments
        [tool, *args], cwd=DEPLOY, capture_output=True, text=True, timeout=60, check=False
    )


def rule_expressions() -> list[str]:
    groups = yaml.safe_load((DEPLOY / "alerts.yml").read_text())["groups"]
    return [rule["expr"] for group in groups for rule in group["rules"]]


def test_promtool_accepts_the_rules() -> None:
    checked = promtool("check", "rules", "alerts.yml")

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS" in checked.stdout


def test_each_alert_fires_on_its_trouble_and_not_otherwise() -> None:
    tested = promtool("test", "rules", "alerts.test.yml")

    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_the_name_pattern_finds_metrics_and_skips_functions() -> None:
    names = set(METRIC_NAME.findall('max(rate(pas_a_total{x="1"}[5m])) > 3 * max(pas_b) or up'))

    assert names == {"pas_a_total", "pas_b", "up"}


async def test_every_metric_a_rule_names_is_exported(
    client: httpx.AsyncClient, db_session: AsyncSession
) -> None:
    # As on a running site: the scheduler has ticked and a route has been served.
    assert await claim_tick(db_session, PERIODIC, 1, holder="test")
    await client.get("/api/v1/teams")
    exported = {name for name, _labels in await scrape(client)}

    named = {name for expr in rule_expressions() for name in METRIC_NAME.findall(expr)}

    assert len(named) >= 10
    assert named - PROMETHEUS_OWN - exported == set()
