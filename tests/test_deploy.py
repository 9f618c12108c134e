"""The production shape: docker-compose.yml, the ingest config it mounts, prefect.yaml."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from flows.serve import check_schedule
from flows.settings import REPO_ROOT, load_settings

COMPOSE = REPO_ROOT / "docker-compose.yml"


def compose_config(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`docker-compose config` from Debian's package: validates without a Docker engine."""
    binary = shutil.which("docker-compose")
    assert binary, "docker-compose is not installed (`make test` installs Debian's package)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    return subprocess.run(
        [binary, "-f", str(COMPOSE), "config"],
        cwd=REPO_ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def resolved() -> dict:
    result = compose_config({"NEO4J_PASSWORD": "validation-only"})
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_file_validates_with_the_three_services(resolved: dict) -> None:
    assert set(resolved["services"]) == {"neo4j", "prefect", "ingest"}
    neo4j = resolved["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5")
    assert "healthcheck" in neo4j and any("/data" in v for v in neo4j["volumes"])
    ingest = resolved["services"]["ingest"]
    assert "build" in ingest
    assert ingest["command"][:2] == ["kg", "serve"]
    assert ingest["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert ingest["environment"]["NEO4J_URI"] == "bolt://neo4j:7687"


def test_every_published_port_is_bound_to_localhost(resolved: dict) -> None:
    published = [
        (name, port) for name, svc in resolved["services"].items() for port in svc.get("ports", [])
    ]
    neo4j_ports = {p.split(":")[1] for n, p in published if n == "neo4j"}
    assert neo4j_ports == {"7474", "7687"}
    for name, port in published:
        assert port.startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"


def test_no_secret_is_written_in_the_compose_file() -> None:
    text = COMPOSE.read_text(encoding="utf-8")
    example = dict(
        line.split("=", 1)
        for line in (REPO_ROOT / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    )
    assert example["NEO4J_PASSWORD"] not in text
    # Every credential-like value is a substitution from the environment or .env.
    credential = re.compile(r"^\s*(\w*(?:PASSWORD|AUTH|SECRET|TOKEN)\w*):\s*(.+)$", re.M)
    found = credential.findall(text)
    assert {key for key, _ in found} >= {"NEO4J_AUTH", "NEO4J_PASSWORD"}
    for key, value in found:
        assert value.strip().startswith(("${", '"${')), f"{key} is written in the file"
    # Without a password the file refuses to resolve rather than fall back to a default.
    missing = compose_config({})
    assert missing.returncode != 0
    assert "NEO4J_PASSWORD" in missing.stderr


def test_the_mounted_ingest_config_is_valid_settings(resolved: dict) -> None:
    mounted = [v for v in resolved["services"]["ingest"]["volumes"] if "ingest.yaml" in v]
    assert mounted, "the ingest config is not mounted"
    host_path = Path(mounted[0].split(":")[0])
    settings = load_settings(host_path)
    check_schedule(settings.sources, settings.schedule_cron, settings.schedule_interval_s)
    assert settings.record_runs
    assert any(s.startswith("https://") for s in settings.sources)
    assert "/data/articles" in settings.sources


def test_prefect_yaml_deploys_the_ingest_flow_with_valid_parameters() -> None:
    from prefect.client.schemas.schedules import CronSchedule

    from flows.flow import ingest_flow

    project = yaml.safe_load((REPO_ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = project["deployments"]
    path, name = deployment["entrypoint"].split(":")
    assert (REPO_ROOT / path).is_file() and name == ingest_flow.fn.__name__
    assert ingest_flow.validate_parameters(deployment["parameters"])["record_run"] is True
    for schedule in deployment["schedules"]:
        CronSchedule(cron=schedule["cron"])
    assert deployment["concurrency_limit"] == 1
