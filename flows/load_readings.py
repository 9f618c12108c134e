"""The load stage's half that types names across articles (flows/across_articles.py):
what the graph already holds of the names a unit of work touches, and the articles that
must be written again because a name of theirs changed type.

Each article's own reading is kept in the graph (`read_as` on MENTIONED_IN, `extracted`
on the Article), so the decision is always made from every article's own reading, never
from what an earlier decision left: the graph is a function of the set of articles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from flows import cypher_readings
from flows.across_articles import Decisions, apply, decide_full, decide_lone
from flows.across_readings import (
    Lone,
    Readings,
    form_of,
    key_for,
    link_kind,
    readings_of,
    touched_forms,
)
from flows.across_types import (
    ORGANIZATION,
    PERSON,
    PLACE,
    PLACE_DOMINANCE,
    PLACE_MIN_ARTICLES,
    known_places,
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
    lone_read = store.read(cypher_readings.LONE_READ_KEYS, {"keys": keys})
    by_short = store.read(cypher_readings.LONE_READ_SHORTS, {"shorts": sorted(forms)})
    people = {form_of(r["key"]) for r in lone_read if r["people"]}
    people |= {r["short"] for r in by_short if r["people"]}
    stored = {form_of(r["key"]) for r in lone_read} | {r["short"] for r in by_short}
    counted = sorted(form for form in forms if form in stored or form in into.lone_forms)
    if not counted:
        return {}
    params = {"exclude": sorted(exclude)}
    now: dict[tuple[str, str], str] = {}
    for row in store.read(cypher_readings.STORED_FULL_NAMES, {"shorts": counted, **params}):
        into.add_full(row["key"], row["type"], row["articles"], row["called"])
        for r in filter(None, row["lone"]):
            form = match_form(r["name"])
            reading = Lone(r["read_as"], r["link"], tuple(r["forms"] or ()))
            into.add(form, r["read_as"], 1, {r["id"]: reading})
            into.contexts[(r["id"], form)] = frozenset(r["context"] or ())
            now[(r["id"], form)] = row["key"]
    # Every reading of a name is counted only where a rule can change one: the type rules
    # where some article reads it as a lone person, or as a lone place no list knows, the
    # link rule where a full name leads its short form. "BBC", written alone in 475
    # articles, is none of them, nor is "London".
    people |= {form for (_, form), lone in into.lone.items() if lone.read_as == PERSON}
    people |= _may_take_organization(store, lone_read, into, exclude, ontology)
    # The link rule changes only readings that may join a full name: "Europe", a lone
    # place in 230 articles, is no surname of "Lycos Europe".
    linking = {form_of(r["key"]) for r in lone_read if r["links"]}
    linking |= {r["short"] for r in by_short if r["links"]}
    linking |= {form for (_, form), lone in into.lone.items() if lone.link}
    decidable = [
        form
        for form in counted
        if form in people
        or (form in linking and any(into.linkable(t, form) for t in ontology.types))
    ]
    keys = [key_for(t, form) for form in decidable for t in ontology.types]
    for row in (
        store.read(cypher_readings.STORED_READINGS, {"keys": keys, **params}) if keys else []
    ):
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


def _may_take_organization(
    store: GraphStore,
    lone_read: list[dict],
    into: Readings,
    exclude: Collection[str],
    ontology: Ontology,
) -> set[str]:
    """The names read as a lone place whose readings the place rule (`place_type`) may
    change: no list knows them, and the articles that may read them as an organization
    reach ten times those that read them as a lone place, or some such reading hangs from
    the organization's node already. Counted from above and below, so no such name is
    missed; "Europe", a lone place in every tenth BBC article and a team in a few, is
    never read back."""
    places: Counter[str] = Counter()
    moved: set[str] = set()
    for row in lone_read:
        if row["places"]:
            places[form_of(row["key"])] += row["places"]
            if row["key"] == key_for(ORGANIZATION, form_of(row["key"])):
                moved.add(form_of(row["key"]))
    places.update(form for (_, form), lone in into.lone.items() if lone.read_as == PLACE)
    forms = sorted(set(places) - known_places(ontology))
    if not forms:
        return set()
    keys = [key_for(ORGANIZATION, form) for form in forms]
    articles = {
        form_of(r["key"]): r["articles"]
        for r in store.read(cypher_readings.ARTICLES_OF_KEYS, {"keys": keys})
    }
    return {
        form
        for form in forms
        if form in moved
        or articles.get(form, 0) + into.articles[form][ORGANIZATION]
        >= max(PLACE_MIN_ARTICLES, PLACE_DOMINANCE * max(places[form] - len(exclude), 1))
    }


def _stored_full_readings(
    store: GraphStore,
    forms: Collection[str],
    ontology: Ontology,
    exclude: Collection[str],
    into: Readings,
) -> dict[tuple[str, str], str]:
    """Add how the articles in the graph (but those excluded) read these full names, for
    those some article reads as a person and some as another type (the others are
    decided by nobody); returns the key of the node each reading hangs from now."""
    full = sorted(form for form in forms if "-" in form)
    keys = [key_for(t, form) for form in full for t in ontology.types]
    if not keys:
        return {}
    people: Counter[str] = Counter()
    others: Counter[str] = Counter()
    for (_, form), etype in into.full.items():
        (people if etype == PERSON else others)[form] += 1
    for row in store.read(cypher_readings.FULL_READ_KEYS, {"keys": keys}):
        people[form_of(row["key"])] += row["people"] or 0
        others[form_of(row["key"])] += row["others"] or 0
    two_ways = [form for form in full if people[form] and others[form]]
    keys = [key_for(t, form) for form in two_ways for t in ontology.types]
    now: dict[tuple[str, str], str] = {}
    for row in (
        store.read(cypher_readings.FULL_READINGS, {"keys": keys, "exclude": sorted(exclude)})
        if keys
        else []
    ):
        form = form_of(row["key"])
        into.add(form, row["read_as"], len(row["articles"]))
        if row["read_as"] == PERSON and row["called"]:
            into.full_called[form] += len(row["articles"])
        for article in row["articles"]:
            into.full[(article, form)] = row["read_as"]
            now[(article, form)] = row["key"]
    return now


def _shared_contexts(
    store: GraphStore,
    readings: Readings,
    exclude: Collection[str],
    asked: dict[str, set[str]],
) -> None:
    """For the full name each lone reading would join, add which of the names round the
    lone readings the articles giving it name too (each lone reading's own context is
    kept on its mention, `MENTIONED_IN.context`). A name and context already `asked`
    within this unit of work has its answer: the second call asks only what is new."""
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
    pairs = []
    for key, context in sorted(wanted.items()):
        new = sorted(context - asked.setdefault(key, set()))
        if new:
            pairs.append({"key": key, "context": new})
            asked[key].update(new)
    if pairs:
        params = {"pairs": pairs, "exclude": sorted(exclude)}
        for row in store.read(cypher_readings.SHARED_CONTEXT, params):
            readings.neighbours[row["key"]].update(row["shared"])


def _stored_originals(store: GraphStore, ids: list[str]) -> dict[str, tuple[ArticleGraph, str]]:
    """Each article's own reading and when it was ingested; an article written before
    the reading was kept has none, and stays as it is."""
    rows = store.read(cypher_readings.STORED_READING_ARTICLES, {"ids": ids})
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


def _stale(now: dict[tuple[str, str], str], decisions: Decisions, readings: Readings) -> list[str]:
    """The articles in the graph whose node for some name is not the one decided."""
    return sorted(
        {
            article
            for (article, form), key in now.items()
            if decisions.get((article, form), key_for(readings.own_type(article, form), form))
            != key
        }
    )


def _forms_of(originals: dict[str, tuple[ArticleGraph, str]]) -> set[str]:
    return touched_forms(e.key for g, _ in originals.values() for e in g.entities)


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
    # 1. Full names, from each article's own reading of them. An article in the graph
    # whose full name changes type is read from its own reading from here on, like the
    # batch: the graph still holds it as the old type left it, and the rules for lone
    # words count full names by the node they hang from.
    own = readings_of(batch)
    loaded = set(forms)
    now = _stored_full_readings(store, loaded, ontology, excluded, own)
    stale = _stale(now, decide_full(own), own)
    retyped = _stored_originals(store, stale) if stale else {}
    if retyped:
        _stored_full_readings(store, _forms_of(retyped) - loaded, ontology, excluded, own)
        loaded |= _forms_of(retyped)
    full = decide_full(own)
    # 2. Lone words, from the graphs of the batch and of those articles so typed, and the
    # graph's count of every other article.
    lone_excluded = excluded | set(retyped)
    typed = [apply(g, full, ontology) for g in [*batch, *(g for g, _ in retyped.values())]]
    # A full name typed anew counts under its new short form: "Blanchett" for the
    # organization "Cate Blanchett" made a person.
    forms = (
        set(forms) | _forms_of(retyped) | touched_forms(e.key for g in typed for e in g.entities)
    )
    readings = readings_of(typed)
    now = _stored_readings(store, forms, ontology, lone_excluded, readings)
    asked: dict[str, set[str]] = {}
    _shared_contexts(store, readings, lone_excluded, asked)
    lone = decide_lone(readings, ontology)
    stale = _stale(now, lone, readings)
    originals = _stored_originals(store, stale) if stale else {}
    if originals:
        # Their other names are decided too, from all their readings, to write them whole.
        _stored_readings(store, _forms_of(originals) - forms, ontology, lone_excluded, readings)
        _shared_contexts(store, readings, lone_excluded, asked)
        lone = decide_lone(readings, ontology)
        _stored_full_readings(store, _forms_of(originals) - loaded, ontology, excluded, own)
        full = decide_full(own)
    decisions = full | lone
    originals |= retyped
    mine = [*batch, *(g for g, _ in originals.values())]
    return Retyping(
        batch=[apply(g, decisions, ontology) for g in batch],
        others=[apply(g, decisions, ontology) for g, _ in originals.values()],
        extracted={g.article.id: reading_to_json(g) for g in mine},
        ingested_at={aid: at for aid, (_, at) in originals.items()},
    )
