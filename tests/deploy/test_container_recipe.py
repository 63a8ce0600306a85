"""compose.yaml and the Dockerfile: the compose tool accepts the file, and the services wait
for what they need (migrations once, before any app; healthy stores before their users)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).parents[2]
REQUIRED_ENV = {
    "PITCHASEAT_SECRET_KEY": "x" * 40,
    "POSTGRES_PASSWORD": "pw",
    "RABBITMQ_PASSWORD": "pw",
    "MINIO_PASSWORD": "password",
}
APPS = ("app1", "app2")


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


def services() -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = compose()["services"]
    return found


def compose_command() -> list[str]:
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run(  # noqa: S603 - fixed arguments
            [docker, "compose", "version"], capture_output=True, check=False
        ).returncode
        == 0
    ):
        return [docker, "compose"]
    pytest.skip("no compose tool (Debian's docker-compose; .ci/run installs it)")


def run_config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - fixed arguments
        [*compose_command(), "-f", "compose.yaml", "config", "-q"],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_compose_tool_accepts_the_file() -> None:
    checked = run_config(REQUIRED_ENV)

    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_compose_tool_refuses_to_start_without_the_secrets() -> None:
    checked = run_config({})

    assert checked.returncode != 0
    assert "PITCHASEAT_SECRET_KEY" in checked.stdout + checked.stderr


def test_every_part_of_the_site_is_there() -> None:
    expected = {"proxy", *APPS, "worker", "migrate", "postgres", "redis", "rabbitmq"}
    expected |= {"minio", "mailpit"}

    assert expected <= set(services())


def test_migrations_run_once_before_the_apps_and_the_worker() -> None:
    found = services()

    for name in (*APPS, "worker"):
        assert found[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert found["migrate"]["command"] == ["db", "upgrade"]
    assert found["migrate"]["restart"] == "no"
    assert found["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_what_is_waited_for_as_healthy_has_a_health_check() -> None:
    found = services()
    built_with_image_check = {name for name, service in found.items() if "build" in service}

    for name, service in found.items():
        for target, rule in service.get("depends_on", {}).items():
            assert target in found, f"{name} depends on unknown {target}"
            if rule["condition"] == "service_healthy":
                has_check = "test" in found[target].get("healthcheck", {})
                assert has_check or target in built_with_image_check, f"{target} has no check"


def test_the_dependency_graph_has_no_cycle() -> None:
    found = services()
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, f"cycle: {' -> '.join((*path, name))}"
        if name in done:
            return
        for target in found[name].get("depends_on", {}):
            visit(target, (*path, name))
        done.add(name)

    for name in found:
        visit(name, ())
    assert done == set(found)


def test_only_the_proxy_listens_beyond_this_host() -> None:
    for name, service in services().items():
        for port in service.get("ports", []):
            if name != "proxy":
                assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port}"


def test_the_dockerfile_is_multi_stage_unprivileged_and_health_checked() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    instructions = [line.split()[0] for line in dockerfile.splitlines() if re.match(r"[A-Z]", line)]

    assert instructions[0] == "ARG" and "ARG BASE_IMAGE=" in dockerfile
    assert instructions.count("FROM") >= 2
    assert "COPY --from=build" in dockerfile
    assert re.search(r"^USER (?!root|0\b)\S+", dockerfile, re.MULTILINE)
    assert "HEALTHCHECK" in instructions and "/readyz" in dockerfile
