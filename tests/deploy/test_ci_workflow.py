""".github/workflows/ci.yml runs what this machine's CI runs: `.ci/run`, with every server
.ci/run expects given as a service container at the URL the tests read."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).parents[2]
CI_RUN = (ROOT / ".ci" / "run").read_text()
# Which server image each test URL's scheme needs, and its port.
SERVERS = {
    "postgresql+asyncpg": ("postgres", 5432),
    "mysql+asyncmy": ("mariadb", 3306),
    "redis": ("redis", 6379),
    "amqp": ("rabbitmq", 5672),
}


def job() -> dict[str, Any]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    # YAML 1.1 reads the key `on` as True.
    assert workflow.get("on", workflow.get(True)), "the workflow has no trigger"
    jobs: dict[str, dict[str, Any]] = workflow["jobs"]
    assert len(jobs) == 1
    return next(iter(jobs.values()))


def ci_run_urls() -> dict[str, str]:
    return dict(re.findall(r"^export (PITCHASEAT_TEST_\w+)=\$\{\1:-(\S+)\}$", CI_RUN, re.M))


def test_the_workflow_runs_ci_run_itself() -> None:
    commands = [step["run"].strip() for step in job()["steps"] if "run" in step]

    assert commands[-1] == "bash .ci/run"
    assert CI_RUN.rstrip().endswith("exec scripts/test")


def test_it_sets_every_url_ci_run_reads_and_ci_true() -> None:
    env = job()["env"]

    assert set(ci_run_urls()) == {name for name in env if name.startswith("PITCHASEAT_TEST_")}
    assert len(ci_run_urls()) == 4
    assert env["CI"] == "true"


def test_each_url_names_a_service_container_of_the_right_server() -> None:
    found = job()
    services = found["services"]

    for name, url in found["env"].items():
        if not name.startswith("PITCHASEAT_TEST_"):
            continue
        parts = urlsplit(url)
        image, port = SERVERS[parts.scheme]
        assert parts.hostname in services, f"{name}: no service {parts.hostname}"
        assert services[parts.hostname]["image"].split(":")[0] == image
        assert parts.port == port
        local = urlsplit(ci_run_urls()[name])
        assert (local.scheme, local.path, local.username) == (
            parts.scheme,
            parts.path,
            parts.username,
        )


def test_each_service_is_health_checked_before_the_steps_run() -> None:
    for name, service in job()["services"].items():
        assert "--health-cmd" in service["options"], name


def test_it_runs_on_debian_as_ci_run_expects_and_within_ci_time() -> None:
    found = job()

    # Debian bookworm (what .ci/run's apt-get expects) with CPython 3.12 on it.
    assert found["container"]["image"] == "python:3.12-bookworm"
    assert found["timeout-minutes"] <= 90
    bootstrap = " ".join(step.get("run", "") for step in found["steps"])
    assert "python3-venv" in bootstrap and "git" in bootstrap
