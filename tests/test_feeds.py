"""Feeds and web pages, served from a local HTTP server on 127.0.0.1 (no internet here)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from flows.feeds import USER_AGENT, Fetcher, FetchPolicy
from flows.model import Rejection

PAGE = """<html><head><title>{title}</title></head><body>
<nav>Home | World | Business</nav>
<article><h1>{title}</h1>
<p>{body}</p>
<p>Officials in Seoul said on Friday that more talks would follow next month.</p>
</article><footer>Copyright 2026</footer></body></html>"""


def page(title: str, body: str) -> bytes:
    return PAGE.format(title=title, body=body).encode()


def feed(base: str, items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><pubDate>{date}</pubDate></item>"
        for title, path, date in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test news</title>'
        f"<link>{base}/</link><description>t</description>{entries}</channel></rss>"
    ).encode()


class Site:
    """Routes -> (status, content type, body); `slow` paths answer after a delay."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, str, bytes]] = {}
        self.slow: set[str] = set()
        self.agents: list[str] = []
        handler = self._handler()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def _handler(self):
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                site.agents.append(self.headers.get("User-Agent", ""))
                if self.path in site.slow:
                    time.sleep(1.5)
                status, kind, body = site.routes.get(self.path, (404, "text/plain", b"no"))
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args) -> None:
                pass

        return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    site = Site()
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


def news_site(site: Site) -> None:
    site.routes["/a1"] = (
        200,
        "text/html",
        page(
            "Xi to host Lee",
            "Chinese President Xi Jinping will host South Korean President "
            "Lee Jae Myung on a state visit to Beijing starting Sunday, officials said.",
        ),
    )
    site.routes["/a2"] = (
        200,
        "text/html",
        page(
            "Analyst on talks",
            "Kang Jun-young, a professor at Hankuk University of Foreign "
            "Studies, told Reuters that China wants closer ties with South Korea.",
        ),
    )
    site.routes["/feed.xml"] = (200, "application/rss+xml", feed(site.base, [
        ("Xi to host Lee", "/a1", "Fri, 02 Jan 2026 08:00:00 GMT"),
        ("Analyst on talks", "/a2", "Sat, 03 Jan 2026 09:30:00 GMT"),
    ]))  # fmt: skip


def test_feed_ingests_every_entry_then_only_what_changed(site: Site, run_kg) -> None:
    news_site(site)
    url = f"{site.base}/feed.xml"
    first = run_kg("ingest", url, graph="feeds1")
    assert first.returncode == 0, first.stderr
    rows = json.loads(
        run_kg(
            "query",
            "MATCH (a:Article) RETURN a.id AS id, a.title AS title, a.url AS url, "
            "a.published_at AS published, a.feed AS feed, a.fetched_at AS fetched ORDER BY id",
            "--json",
            graph="feeds1",
        ).stdout
    )
    assert [(r["id"], r["title"], r["published"]) for r in rows] == [
        (f"{site.base}/a1", "Xi to host Lee", "2026-01-02T08:00:00+00:00"),
        (f"{site.base}/a2", "Analyst on talks", "2026-01-03T09:30:00+00:00"),
    ]
    assert all(r["url"] == r["id"] and r["feed"] == url and r["fetched"] for r in rows)
    assert all(agent == USER_AGENT for agent in site.agents)

    second = run_kg("ingest", url, graph="feeds1")
    assert "│unchangedarticles│2│" in second.stdout.replace(" ", ""), second.stdout

    site.routes["/a1"] = (200, "text/html", page(
        "Xi to host Lee", "Chinese President Xi Jinping met Japanese Prime Minister Sanae "
        "Takaichi in Tokyo on Monday, officials said."))  # fmt: skip
    third = run_kg("ingest", url, graph="feeds1")
    assert third.returncode == 0, third.stderr
    compact = third.stdout.replace(" ", "")
    assert "│changedarticles│1│" in compact and "│unchangedarticles│1│" in compact
    sentences = json.loads(
        run_kg(
            "query",
            "MATCH (s:Statement)-[:EXTRACTED_FROM]->(a:Article) WHERE a.id = "
            + json.dumps(f"{site.base}/a1")
            + " RETURN s.sentence AS s",
            "--json",
            graph="feeds1",
        ).stdout
    )
    assert sentences and all("Lee Jae Myung" not in row["s"] for row in sentences)


def test_every_kind_of_failure_is_a_named_skip(site: Site, run_kg) -> None:
    news_site(site)
    site.routes["/empty"] = (200, "text/html", b'<html><body><img src="chart.png"></body></html>')
    site.routes["/slow"] = site.routes["/a2"]
    site.slow.add("/slow")
    # feedparser salvages what it can from a cut-off feed; pure noise is no feed at all.
    site.routes["/cut.xml"] = (200, "application/rss+xml", b"<rss><channel><item><title>x")
    site.routes["/broken.xml"] = (200, "application/rss+xml", b"\x00\x01 not a feed {")
    site.routes["/mixed.xml"] = (200, "application/rss+xml", feed(site.base, [
        ("fine", "/a1", "Fri, 02 Jan 2026 08:00:00 GMT"),
        ("gone", "/missing", "Fri, 02 Jan 2026 08:00:00 GMT"),
        ("nothing", "/empty", "Fri, 02 Jan 2026 08:00:00 GMT"),
        ("slow", "/slow", "Fri, 02 Jan 2026 08:00:00 GMT"),
    ]))  # fmt: skip
    result = run_kg(
        "ingest",
        f"{site.base}/mixed.xml",
        f"{site.base}/cut.xml",
        f"{site.base}/broken.xml",
        "--record-run",
        graph="feeds2",
        env={"KG_FETCH_TIMEOUT_S": "0.5", "KG_FETCH_RETRIES": "1"},
    )
    assert result.returncode == 2, result.stderr
    rejected = sorted(line for line in result.stderr.splitlines() if line.startswith("rejected:"))
    broken = [r for r in rejected if "/broken.xml" in r]
    assert len(broken) == 1 and "broken.xml: not a valid RSS/Atom feed" in broken[0]
    assert sorted(set(rejected) - set(broken)) == [
        f"rejected: {site.base}/cut.xml#entry-1: entry has no link",
        f"rejected: {site.base}/empty: no extractable text on the page",
        f"rejected: {site.base}/missing: HTTP 404",
        f"rejected: {site.base}/slow: timed out after 0.5s (2 attempts)",
    ]
    runs = json.loads(
        run_kg(
            "query",
            "MATCH (r:IngestRun) OPTIONAL MATCH (r)-[:INGESTED]->(a:Article) "
            "RETURN r.status AS status, r.counts AS counts, r.rejected AS rejected, "
            "collect(a.id) AS articles",
            "--json",
            graph="feeds2",
        ).stdout
    )
    assert len(runs) == 1
    assert runs[0]["status"] == "completed_with_rejections"
    assert json.loads(runs[0]["counts"]) == {
        "changed": 0,
        "new": 1,
        "rejected": 5,
        "removed": 0,
        "unchanged": 0,
    }
    assert runs[0]["articles"] == [f"{site.base}/a1"]
    assert len(runs[0]["rejected"]) == 5


def test_a_plain_web_page_is_one_article(site: Site) -> None:
    news_site(site)
    with Fetcher(FetchPolicy(timeout_s=2, retries=0)) as fetch:
        items = list(fetch(f"{site.base}/a2"))
    assert len(items) == 1 and not isinstance(items[0], Rejection)
    article = items[0]
    assert article.id == article.url == f"{site.base}/a2"
    assert article.title == "Analyst on talks"
    assert "Hankuk University" in article.text and "Copyright" not in article.text
