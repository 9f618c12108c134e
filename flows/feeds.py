"""Web sources for the read stage: RSS/Atom feeds (each entry's page is fetched and its
main text extracted) and single web pages. Network trouble never fails a run: every
entry that cannot be had becomes a Rejection naming the URL and the reason."""

from __future__ import annotations

import calendar
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import feedparser
import httpx
import trafilatura

from flows.errors import RejectedDocument
from flows.model import Article, Rejection
from flows.read import make_article

USER_AGENT = "kg-news/0.1 (knowledge-graph ETL for news; feed reader)"
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class FetchPolicy:
    timeout_s: float = 10.0
    retries: int = 2
    backoff_s: float = 0.5
    max_bytes: int = 5_000_000


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Fetcher:
    """Reads a URL as a feed or a page. Use as a context manager; call it with a URL."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self.client = httpx.Client(
            timeout=policy.timeout_s, follow_redirects=True, headers={"User-Agent": USER_AGENT}
        )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.client.close()

    def get(self, url: str) -> httpx.Response:
        """The response for `url`, retried with backoff on timeouts, connection errors and
        5xx/429; RejectedDocument when it cannot be had."""
        attempts = self.policy.retries + 1
        reason = "not fetched"
        for attempt in range(attempts):
            if attempt:
                time.sleep(self.policy.backoff_s * 2 ** (attempt - 1))
            try:
                response = self.client.get(url)
            except httpx.TimeoutException:
                reason = f"timed out after {self.policy.timeout_s:g}s ({attempts} attempts)"
                continue
            except httpx.HTTPError as exc:
                reason = f"cannot connect ({type(exc).__name__}, {attempts} attempts)"
                continue
            if response.status_code in RETRY_STATUS:
                reason = f"HTTP {response.status_code} ({attempts} attempts)"
                continue
            if response.status_code >= 400:
                raise RejectedDocument(url, f"HTTP {response.status_code}")
            if len(response.content) > self.policy.max_bytes:
                raise RejectedDocument(url, f"over the {self.policy.max_bytes:,}-byte limit")
            return response
        raise RejectedDocument(url, reason)

    def __call__(self, url: str) -> Iterator[Article | Rejection]:
        try:
            response = self.get(url)
        except RejectedDocument as exc:
            yield Rejection(exc.item, exc.reason)
            return
        parsed = feedparser.parse(response.content)
        content_type = response.headers.get("content-type", "")
        if parsed.get("version") or parsed.entries:
            yield from self._entries(url, parsed)
        elif "html" in content_type:
            yield self._page(url, response, title=None, published=None, feed=None)
        else:
            problem = parsed.get("bozo_exception")
            detail = f": {str(problem).splitlines()[0]}" if problem else ""
            yield Rejection(url, f"not a valid RSS/Atom feed{detail}")

    def _entries(self, feed_url: str, parsed) -> Iterator[Article | Rejection]:
        if parsed.bozo and not parsed.entries:
            yield Rejection(feed_url, f"malformed feed: {parsed.get('bozo_exception')}")
            return
        for number, entry in enumerate(parsed.entries, start=1):
            link = entry.get("link")
            if not link:
                yield Rejection(f"{feed_url}#entry-{number}", "entry has no link")
                continue
            published = entry.get("published_parsed") or entry.get("updated_parsed")
            published_at = (
                datetime.fromtimestamp(calendar.timegm(published), UTC).isoformat()
                if published
                else None
            )
            try:
                response = self.get(link)
            except RejectedDocument as exc:
                yield Rejection(exc.item, exc.reason)
                continue
            yield self._page(link, response, entry.get("title"), published_at, feed_url)

    def _page(
        self,
        url: str,
        response: httpx.Response,
        title: str | None,
        published: str | None,
        feed: str | None,
    ) -> Article | Rejection:
        text = trafilatura.extract(response.text, url=url, include_comments=False)
        if not text or not text.strip():
            return Rejection(url, "no extractable text on the page")
        if title is None:
            metadata = trafilatura.extract_metadata(response.text)
            title = metadata.title if metadata is not None else None
        try:
            return make_article(
                url,
                url,
                text,
                title=title,
                url=url,
                published_at=published,
                feed=feed,
                fetched_at=_now(),
            )
        except RejectedDocument as exc:
            return Rejection(url, exc.reason)
