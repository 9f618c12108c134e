"""The load stage's half that types names across articles (flows/across_articles.py):
what the graph already holds of the names a unit of work touches, and the articles that
must be written again because a name of theirs changed type.

Each article's own reading is kept in the graph (`read_as` on MENTIONED_IN, `extracted`
on the Article), so the decision is always made from every article's own reading, never
from what an earlier decision left: the graph is a function of the set of articles.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from flows import cypher
from flows.across_articles import (
    PERSON,
    Lone,
    Readings,
    apply,
    decide,
    form_of,
    key_for,
    link_kind,
    readings_of,
    touched_forms,
)
from flows.model import Article, ArticleGraph, reading_from_json, reading_to_json
from flows.names import match_form
from flows.ontology import Ontology
from flows.store import GraphStore


@dataclass(frozen=True)
class Retyping:
    """A unit of work's articles once names are typed across articles: the batch, the
    articles already in the graph whose names changed type and are written again from
    their own reading, that reading of each (JSON, kept on its node), and when each of
    the others was ingested (being retyped is not being ingested)."""

    batch: list[ArticleGraph]
    others: list[ArticleGraph]
    extracted: dict[str, str]
    ingested_at: dict[str, str]

    @property
    def graphs(self) -> list[ArticleGraph]:
        return [*self.batch, *self.others]


def _stored_readings(
    store: GraphStore,
    forms: Collection[str],
    ontology: Ontology,
    exclude: Collection[str],
    into: Readings,
) -> dict[tuple[str, str], str]:
    """Add how the articles in the graph (but those excluded) read these names, counted
    by the store; returns the key of the node each lone reading hangs from now."""
    keys = sorted(key_for(t, form) for form in forms for t in ontology.types)
    if not keys:
        return {}
    # A name no article reads as a lone word is decided by nobody: skip counting it.
    lone_read = store.read(cypher.LONE_READ_KEYS, {"keys": keys})
    by_short = store.read(cypher.LONE_READ_SHORTS, {"shorts": sorted(forms)})
    people = {form_of(r["key"]) for r in lone_read if r["people"]}
    people |= {r["short"] for r in by_short if r["people"]}
    stored = {form_of(r["key"]) for r in lone_read} | {r["short"] for r in by_short}
    counted = sorted(form for form in forms if form in stored or form in into.lone_forms)
    if not counted:
        return {}
    params = {"exclude": sorted(exclude)}
    now: dict[tuple[str, str], str] = {}
    for row in store.read(cypher.STORED_FULL_NAMES, {"shorts": counted, **params}):
        into.add_full(row["key"], row["type"], row["articles"], row["called"])
        for r in filter(None, row["lone"]):
            form = match_form(r["name"])
            reading = Lone(r["read_as"], r["link"], tuple(r["forms"] or ()))
            into.add(form, r["read_as"], 1, {r["id"]: reading})
            into.contexts[(r["id"], form)] = frozenset(r["context"] or ())
            now[(r["id"], form)] = row["key"]
    # Every reading of a name is counted only where a rule can change one: the type rule
    # where some article reads it as a lone person, the link rule where a full name leads
    # its short form. "BBC", written alone in 475 articles, is neither.
    people |= {form for (_, form), lone in into.lone.items() if lone.read_as == PERSON}
    decidable = [
        form
        for form in counted
        if form in people or any(into.linkable(t, form) for t in ontology.types)
    ]
    keys = [key_for(t, form) for form in decidable for t in ontology.types]
    for row in store.read(cypher.STORED_READINGS, {"keys": keys, **params}) if keys else []:
        form = form_of(row["key"])
        lone = {
            r["id"]: Lone(row["read_as"], r["link"], tuple(r["forms"] or ()))
            for r in row["lone"]
            if r
        }
        into.add(form, row["read_as"], row["articles"], lone)
        into.contexts.update(
            ((r["id"], form), frozenset(r["context"] or ())) for r in row["lone"] if r
        )
        now.update(((article, form), row["key"]) for article in lone)
    return now


def _shared_contexts(store: GraphStore, readings: Readings, exclude: Collection[str]) -> None:
    """For the full name each lone reading would join, add which of the names round the
    lone readings the articles giving it name too (each lone reading's own context is
    kept on its mention, `MENTIONED_IN.context`)."""
    wanted: dict[str, set[str]] = {}
    for (article, form), lone in readings.lone.items():
        if lone.link:
            for etype in {lone.read_as, *readings.articles[form]}:
                if link_kind(etype) != lone.link or not readings.linkable(etype, form):
                    continue
                # The leader's, or, where none leads, every full name's of the short form:
                # the link rule then asks which of them the lone reading's names are round.
                leader = readings.leader(etype, form)
                for key in [leader] if leader else readings.named[(etype, form)]:
                    wanted.setdefault(key, set()).update(readings.contexts.get((article, form), ()))
    pairs = [{"key": k, "context": sorted(c)} for k, c in sorted(wanted.items()) if c]
    if pairs:
        params = {"pairs": pairs, "exclude": sorted(exclude)}
        for row in store.read(cypher.SHARED_CONTEXT, params):
            readings.neighbours[row["key"]].update(row["shared"])


def _stored_originals(store: GraphStore, ids: list[str]) -> dict[str, tuple[ArticleGraph, str]]:
    """Each article's own reading and when it was ingested; an article written before
    the reading was kept has none, and stays as it is."""
    rows = store.read(cypher.STORED_READING_ARTICLES, {"ids": ids})
    return {
        r["id"]: (
            reading_from_json(
                Article(
                    r["id"],
                    r["source"],
                    r["title"],
                    "",
                    r["content_hash"],
                    r["url"],
                    r["published_at"],
                    r["feed"],
                    r["fetched_at"],
                ),
                r["extracted"],
            ),
            r["ingested_at"],
        )
        for r in rows
    }


def retype_across(
    store: GraphStore,
    batch: list[ArticleGraph],
    forms: Collection[str],
    ontology: Ontology,
    gone: str | None = None,
) -> Retyping:
    """Names typed across articles (flows/across_articles.py) for the names a unit of work
    touches: `forms`, read by the batch now or by articles it replaces or deletes (`gone`)
    before. Decided from every article's own reading, so the graph stays a function of
    the set of articles whatever order they come in. An article already in the graph
    whose node for a name must change is written again from its own reading."""
    excluded = {g.article.id for g in batch} | ({gone} if gone else set())
    readings = readings_of(batch)
    now = _stored_readings(store, forms, ontology, excluded, readings)
    _shared_contexts(store, readings, excluded)
    decisions = decide(readings, ontology)
    stale = sorted(
        {
            article
            for (article, form), key in now.items()
            if decisions.get((article, form), key_for(readings.lone[(article, form)].read_as, form))
            != key
        }
    )
    originals = _stored_originals(store, stale) if stale else {}
    if originals:
        # Their other names are decided too, from all their readings, to write them whole.
        more = touched_forms(e.key for g, _ in originals.values() for e in g.entities) - set(forms)
        _stored_readings(store, more, ontology, excluded, readings)
        _shared_contexts(store, readings, excluded)
        decisions = decide(readings, ontology)
    own = [*batch, *(g for g, _ in originals.values())]
    return Retyping(
        batch=[apply(g, decisions, ontology) for g in batch],
        others=[apply(g, decisions, ontology) for g, _ in originals.values()],
        extracted={g.article.id: reading_to_json(g) for g in own},
        ingested_at={aid: at for aid, (_, at) in originals.items()},
    )
