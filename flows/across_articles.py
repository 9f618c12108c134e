"""Names resolved across articles: the part of resolution that needs more than one article.

Each article resolves its names by itself (flows/resolve.py), and other articles often
read the same name better (docs/design/cross-article-types.md). Two kinds of rule:

- **type** (flows/across_types.py): a lone word read as a person ("Labour", "Derbyshire",
  "Barentsburg") takes the non-person type most articles give the same name, unless a
  person's full name is called by it in enough articles to be linked ("Moody": Lewis
  Moody, whatever the ratings agency); a full name typed two ways takes the type its
  first word and the count of articles say ("Cate Blanchett" a person, "Lib Dem" a
  party). Neither trades one non-person type for another, so neither can turn a club
  into its city.
- **link**: a lone surname or acronym ("Blair", "IMF") joins the full name other articles
  call by it ("Tony Blair", "International Monetary Fund"), where the evidence is
  unambiguous: at least two articles call that full name by it, it is nine times as
  common as every other full name of that short form together ("Brown" stays: Gordon
  Brown in 86 BBC articles, Dan, Wes and Steve Brown in 11; a fuller writing of the same
  name, "George Bush" beside "George W Bush", is no rival), and the article shares the
  full name of a person or organization with an article that gives it ("Griffin" in a
  Portsmouth line-up is not the BNP's Nick Griffin). Where no full name leads, the
  article's own names decide: at least two of them are round one full name of the short
  form, and none round any other ("Brown" in a Manchester United line-up is Wes Brown).
  A first name after a title ("Prince Charles") is not a surname, and an article that
  names a full name of that short form has made its own call.

Both are functions of the *set* of readings, so the graph stays a function of the set of
articles ingested, whatever order they come in: the load stage keeps each article's own
reading and re-decides every name a run touches.

Everything here is pure: readings in, decisions out, and an ArticleGraph rewritten by them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace

from flows.across_readings import (
    Lone,
    Readings,
    full_readings,
    key_for,
    link_kind,
    lone_readings,
    own_form,
    readings_of,
)
from flows.across_types import PERSON, PLACE, counterpart, full_type, lone_type, place_type
from flows.model import ArticleGraph, Entity, Statement
from flows.ontology import Ontology
from flows.resolve import statement_id
from flows.short_forms import Titles, given_name_sex, same_name

# Where no full name leads, the lone reading's article must share this many full names,
# and this share of its own, with the articles of one full name of the short form, and
# none with any other's. A squad list of 22 names shares a few with many a player's
# articles: of this rule's BBC joins whose article shared under a fifth of its names, 3
# of 6 were wrong ("Taylor" on Arsenal's bench joined Portsmouth's Matthew Taylor).
LINK_SHARED_NAMES = 2
LINK_SHARED_SHARE = 0.2


def _linked(
    readings: Readings, article: str, etype: str, form: str, lone: Lone, titles: Titles
) -> str | None:
    """The link rule: the key of the one full name other articles give this short form
    (`Readings.leader`), where the article shares a full name with an article that gives
    it: "Griffin" in a Portsmouth line-up is not the Nick Griffin of the politics pages.
    Never a full name whose given name is the other sex's than the article's title says:
    "Baroness Kennedy" is not Charles Kennedy."""
    if lone.link != link_kind(etype):
        return None
    sex = titles.sex_of(lone.forms)

    def may_be(key: str) -> bool:
        return sex is None or given_name_sex(key) in (None, sex)

    context = readings.contexts.get((article, form), frozenset())
    best = readings.leader(etype, form)
    if best is not None:
        return best if may_be(best) and context & readings.neighbours[best] else None
    # No full name leads: the article's own names decide, where enough of them are round
    # one full name and none round any other that may go by the short form ("Brown" beside
    # Manchester United and Alex Ferguson is Wes Brown, not Gordon Brown). A name only one
    # article gives, and does not call by it, is no rival: "Blair-Brown" in "the
    # Blair-Brown feud", "Marion Brown" once.
    named = readings.named.get((etype, form), Counter())
    called = readings.called.get((etype, form), Counter())
    shared = {k: len(context & readings.neighbours[k]) for k in sorted(named) if may_be(k)}
    sharing = [k for k, n in shared.items() if n and (named[k] > 1 or called[k] > 0)]
    linkable = [k for k in readings.linkable(etype, form) if k in shared]
    best = max(linkable, key=lambda k: shared[k], default=None)
    if best is None or shared[best] < max(LINK_SHARED_NAMES, LINK_SHARED_SHARE * len(context)):
        return None
    return best if all(same_name(k, best) for k in sharing) else None


Decisions = dict[tuple[str, str], str]  # (article, form) -> the key its reading takes


def decide_full(readings: Readings) -> Decisions:
    """The type rule for full names (`full_type`): the key each full-name reading it
    changes takes. Decided first, from each article's own reading of them, since the
    evidence of the other rules is counted by the node a full name hangs from."""
    decided: Decisions = {}
    for (article, form), read_as in readings.full.items():
        etype = full_type(readings.articles[form], form, read_as, readings.full_called[form])
        if etype != read_as:
            decided[(article, form)] = key_for(etype, form)
    return decided


def decide_lone(readings: Readings, ontology: Ontology) -> Decisions:
    """The rules for lone words: the key each lone reading they change takes. A lone word
    read as a person first takes the type other articles give it (`lone_type`), then the
    full name they give it (`_linked`)."""
    titles = Titles.of(ontology)
    decided: Decisions = {}
    for (article, form), lone in readings.lone.items():
        # A known person's surname stays a person's: "Moody" in a rugby report is Lewis
        # Moody's, though more articles name the ratings agency.
        someone_s = bool(readings.linkable(PERSON, form))
        by_type = readings.articles[form]
        if lone.read_as == PERSON and not someone_s:
            etype = lone_type(by_type) or lone.read_as
        elif lone.read_as == PLACE:
            etype = place_type(by_type, form, ontology) or lone.read_as
        else:
            etype = lone.read_as
        key = _linked(readings, article, etype, form, lone, titles) or key_for(etype, form)
        if key != key_for(lone.read_as, form):
            decided[(article, form)] = key
    return decided


def decide(readings: Readings, ontology: Ontology) -> Decisions:
    """(article, form) -> the key that article's lone or full-name reading takes, for each
    reading a rule changes; every other reading stands as the article gave it."""
    return decide_full(readings) | decide_lone(readings, ontology)


def apply(
    graph: ArticleGraph, decisions: Mapping[tuple[str, str], str], ontology: Ontology
) -> ArticleGraph:
    """The article's graph with its names keyed as decided: the entities' keys and types,
    and the statements about them under their new keys. A statement whose arguments no
    longer fit its predicate takes its counterpart for the new types (`counterpart`), or
    is not written where there is none (WORKS_FOR with an organization as subject); it
    comes back if the decision turns back, since the article's own reading is kept."""
    aid = graph.article.id
    types_by_prefix = {t.lower(): t for t in ontology.types}
    new_keys: dict[str, str] = {}
    entities: list[Entity] = []
    decided = lone_readings(graph).keys() | full_readings(graph).keys()
    for e in graph.entities:
        form = own_form(e)
        key = decisions.get((aid, form), e.key) if form in decided else e.key
        if key != e.key:
            new_keys[e.key] = key
            etype = types_by_prefix[key.split(":", 1)[0]]
            e = replace(e, key=key, type=etype, read_as=e.read_as or e.type)
        entities.append(e)
    if not new_keys:
        return graph
    types = {e.key: e.type for e in entities}
    statements: dict[str, Statement] = {}
    for s in graph.statements:
        subject, obj = new_keys.get(s.subject, s.subject), new_keys.get(s.object, s.object)
        predicate = counterpart(ontology, s.predicate, types[subject], types[obj])
        if predicate is None:
            continue
        sid = statement_id(aid, predicate, subject, obj, s.start)
        if sid not in statements or statements[sid].confidence < s.confidence:
            statements[sid] = replace(s, id=sid, predicate=predicate, subject=subject, object=obj)
    return replace(
        graph,
        entities=tuple(sorted(entities, key=lambda e: e.key)),
        statements=tuple(sorted(statements.values(), key=lambda s: (s.start, s.id))),
    )


def across(graphs: Sequence[ArticleGraph], ontology: Ontology) -> list[ArticleGraph]:
    """The graphs as one run writes them together: what `kg ingest` of these articles
    leaves in the graph, for the evaluations: full names typed first, then the lone words
    decided from the graphs so typed, as the load stage counts them."""
    full = decide_full(readings_of(graphs))
    typed = [apply(g, full, ontology) for g in graphs]
    decisions = full | decide_lone(readings_of(typed), ontology)
    return [apply(g, decisions, ontology) for g in graphs]
