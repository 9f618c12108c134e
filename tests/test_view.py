"""`kg view` and `kg show` on the seed graph; the page is opened in headless Chromium."""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from flows import cypher
from flows.ontology import load_ontology
from flows.settings import REPO_ROOT
from flows.store.falkordb_store import FalkorStore
from flows.view import Subgraph, colors

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--virtual-time-budget=5000",
]


def chromium(page: Path, profile: Path, *args: str) -> subprocess.CompletedProcess:
    binary = shutil.which("chromium")
    if binary is None:
        pytest.fail("Debian's chromium is not installed: `make test` installs it")
    return subprocess.run(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args, page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def drawing_of(page: Path, tmp_path: Path) -> re.Match[str] | None:
    """The page's "drawn" marker, once vis-network has drawn the graph. Headless Chromium
    now and then dumps the DOM before the first drawing (once in a full `make test` of
    2026-12-03, under load; never in isolation): it gets three tries, and a page that
    never draws fails all three."""
    for attempt in range(3):
        dom = chromium(page, tmp_path / f"profile-dom-{attempt}", "--dump-dom").stdout
        drawn = re.search(r'<span id="drawn"[^>]*data-ready="true"[^>]*>(\d+)</span>', dom)
        if drawn is not None:
            return drawn
    return None


def test_subgraph_collects_nodes_edges_and_paths_and_drops_dangling_edges() -> None:
    a = {"id": 1, "labels": ["Entity", "Person"], "properties": {"key": "a"}}
    b = {"id": 2, "labels": ["Entity", "Location"], "properties": {"key": "b"}}
    edge = {"id": 7, "type": "VISITS", "start": 1, "end": 2, "properties": {}}
    dangling = {"id": 8, "type": "MEETS", "start": 1, "end": 99, "properties": {}}
    graph = Subgraph.from_rows([{"p": {"nodes": [a, b], "edges": [edge]}, "x": [dangling], "n": 3}])
    assert set(graph.nodes) == {1, 2}
    assert set(graph.edges) == {7}


def test_view_page_draws_the_queried_graph_with_evidence(
    seed_graph, run_kg, tmp_path: Path
) -> None:
    settings, _, _ = seed_graph
    page = tmp_path / "xi.html"
    result = run_kg(
        "view", "--entity", "Xi Jinping", "--hops", "2", "-o", str(page), graph=settings.graph_name
    )
    assert result.returncode == 0, result.stderr

    store = FalkorStore(settings)
    try:
        from flows.ontology import load_ontology

        query = cypher.neighbourhood(load_ontology(settings.schema_dir).relation_types, 2)
        expected = Subgraph.from_rows(store.read(query, {"key": "person:xi-jinping"}))
    finally:
        store.close()
    assert len(expected.nodes) >= 4

    html = page.read_text(encoding="utf-8")
    assert "<script src=" not in html and "https://" not in html.split("<script>")[0]
    data = json.loads(re.search(r"const data = (\{.*?\});\n", html, re.S).group(1))
    meets = [e for e in data["edges"] if e["label"] == "MEETS"]
    assert len(meets) == 1
    assert any("will host" in item["sentence"] for item in data["evidence"][meets[0]["id"]])

    drawn = drawing_of(page, tmp_path)
    assert drawn is not None, "the graph was never drawn"
    assert int(drawn.group(1)) == len(expected.nodes)

    shot = tmp_path / "xi.png"
    chromium(page, tmp_path / "profile-shot", "--window-size=1200,800", f"--screenshot={shot}")
    image = Image.open(shot).convert("RGB").crop((0, 60, 840, 800))  # the graph pane
    pixels = list(image.get_flattened_data())
    blue = colors(load_ontology(REPO_ROOT / "schema").types)["Person"]
    person_blue = tuple(int(blue[i : i + 2], 16) for i in (1, 3, 5))
    assert sum(p != (255, 255, 255) for p in pixels) > 0.01 * len(pixels), "blank graph"
    assert sum(p == person_blue for p in pixels) > 200, "no Person node drawn"


def test_show_prints_an_entity_with_its_evidence(seed_graph, run_kg) -> None:
    settings, _, _ = seed_graph
    shown = run_kg("show", "US", graph=settings.graph_name, env={"COLUMNS": "200"})
    assert shown.returncode == 0, shown.stderr
    assert "United States" in shown.stdout and "location:united-states" in shown.stdout
    assert "U.S., US, United States" in shown.stdout
    xi = run_kg("show", "person:xi-jinping", graph=settings.graph_name, env={"COLUMNS": "300"})
    assert "MEETS" in xi.stdout and "Lee Jae Myung" in xi.stdout
    missing = run_kg("show", "Nobody Atall", graph=settings.graph_name)
    assert missing.returncode == 1
    assert (
        missing.stderr.strip() == "kg: error: no entity has the key, name or alias 'Nobody Atall'"
    )


def test_every_ontology_type_has_its_own_colour() -> None:
    types = load_ontology(REPO_ROOT / "schema").types
    by_type = colors([*types, "Event"])  # a type added to the ontology gets one too
    entity_colours = [by_type[t] for t in [*types, "Event"]]
    assert len(set(entity_colours)) == len(entity_colours)
    assert by_type["Person"] == "#4C8EDA"  # as before the palette came from the ontology
    assert {"Article", "Statement"} <= set(by_type)
