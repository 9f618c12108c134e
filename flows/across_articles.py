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

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from flows.across_types import PERSON, PLACE, counterpart, full_type, lone_type, place_type
from flows.model import ArticleGraph, Entity, Statement
from flows.names import given_name_after_title
from flows.ontology import Ontology
from flows.resolve import is_acronym, statement_id
from flows.short_forms import (
    Titles,
    calls_by_short,
    given_name_sex,
    name_words,
    same_name,
    short_of,
)

# Evidence that a one-word name is the full name other articles give: they call that
# full name by it in at least this many articles, and it is at least this many times as
# common as every other full name of the same short form together ("Blair": Tony Blair
# in 151 BBC articles, Cherie, Ian and Mark Blair in 10).
LINK_MIN_ARTICLES = 2
LINK_DOMINANCE = 9
# Where no full name leads, the lone reading's article must share this many full names,
# and this share of its own, with the articles of one full name of the short form, and
# none with any other's. A squad list of 22 names shares a few with many a player's
# articles: of this rule's BBC joins whose article shared under a fifth of its names, 3
# of 6 were wrong ("Taylor" on Arsenal's bench joined Portsmouth's Matthew Taylor).
LINK_SHARED_NAMES = 2
LINK_SHARED_SHARE = 0.2


ShortForm = tuple[str, str]  # a type and the surname or acronym a full name may go by


def is_full(entity: Entity) -> bool:
    return len(name_words(entity.name)) > 1


@dataclass(frozen=True)
class Lone:
    """An article's reading of a name as one word and nothing longer: the readings the
    rules may change. `link` says which full name it may join: a person's "surname" or
    an organization's or place's "acronym"; None where the article itself rules that out
    (it names a full name of that short form, or a title shows the word is a first name:
    "Prince Charles"). `forms`, how the article writes it: a title may say whether it is
    a man's or a woman's name ("Baroness Kennedy")."""

    read_as: str
    link: str | None = None
    forms: tuple[str, ...] = ()


@dataclass
class Readings:
    """How articles read names: for each name (a key's match form), how many articles
    gave it each type; each article's lone readings, and the full names round each (its
    context); for each short form (a type and a surname or acronym), the full names
    articles give, and how many of those articles also call the full name by the short
    form; and for a full name, the full names seen in the articles that give it."""

    articles: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    lone: dict[tuple[str, str], Lone] = field(default_factory=dict)  # (article, form)
    full: dict[tuple[str, str], str] = field(default_factory=dict)  # (article, form) -> type
    # full name -> the articles that read it as a person and call it by its surname too
    full_called: Counter[str] = field(default_factory=Counter)
    contexts: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    named: dict[ShortForm, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    called: dict[ShortForm, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    neighbours: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, form: str, etype: str, articles: int, lone: Mapping[str, Lone] = {}) -> None:
        self.articles[form][etype] += articles
        self.lone.update(((article, form), reading) for article, reading in lone.items())

    def add_full(self, key: str, etype: str, articles: int, called: int) -> None:
        short = short_of(key)
        if short:
            self.named[(etype, short)][key] += articles
            self.called[(etype, short)][key] += called

    def own_type(self, article: str, form: str) -> str:
        """The type this article itself gave a name the rules decide."""
        lone = self.lone.get((article, form))
        return lone.read_as if lone else self.full[(article, form)]

    @property
    def lone_forms(self) -> set[str]:
        return {form for _, form in self.lone}

    def leader(self, etype: str, form: str) -> str | None:
        """The full name of this type and short form that the evidence names, where it is
        unambiguous: at least LINK_MIN_ARTICLES articles call it by the short form, and
        it is named in LINK_DOMINANCE times as many articles as all the others."""
        named = self.named.get((etype, form))
        if not named:
            return None
        best = max(sorted(named), key=lambda k: named[k])
        rest = sum(n for k, n in named.items() if not same_name(k, best))
        called = self.called[(etype, form)][best]
        return (
            best if called >= LINK_MIN_ARTICLES and named[best] >= LINK_DOMINANCE * rest else None
        )

    def linkable(self, etype: str, form: str) -> list[str]:
        """The full names of this type and short form that a lone reading may join: the
        leader, or else each one at least LINK_MIN_ARTICLES articles call by it (which of
        them, the lone reading's own article decides: `_linked`)."""
        if best := self.leader(etype, form):
            return [best]
        called = self.called.get((etype, form), Counter())
        return sorted(k for k, n in called.items() if n >= LINK_MIN_ARTICLES)


def form_of(key: str) -> str:
    return key.split(":", 1)[1]


def key_for(entity_type: str, form: str) -> str:
    return f"{entity_type.lower()}:{form}"


def touched_forms(keys: Iterable[str]) -> set[str]:
    """The names whose decisions the articles holding these keys take part in: each
    key's own form, and the short form a full name may go by."""
    keys = list(keys)
    return {form_of(k) for k in keys} | {s for k in keys if (s := short_of(k))}


def own_form(entity: Entity) -> str:
    """The name as the article read it: a one-word name keeps its form when a rule
    gives it another key."""
    words = name_words(entity.name)
    return words[0] if len(words) == 1 else form_of(entity.key)


def lone_readings(graph: ArticleGraph) -> dict[str, Lone]:
    """The article's lone readings: a one-word name no other name of the article shares,
    read as a person or a place, or an acronym (as the article read them: a rule keeps the
    name and the type it gave in `name` and `read_as`)."""
    seen = Counter(own_form(e) for e in graph.entities)
    shorts = {(e.type, short_of(e.key)) for e in graph.entities if is_full(e)}
    out: dict[str, Lone] = {}
    for e in graph.entities:
        form, read_as = own_form(e), e.read_as or e.type
        if is_full(e) or seen[form] != 1:
            continue
        if is_acronym(e.name):
            named = any(t != PERSON and s == form for t, s in shorts)
            out[form] = Lone(read_as, None if named else "acronym")
        elif read_as == PERSON:
            given = any(given_name_after_title(f) for f in e.forms)
            link = None if given or (PERSON, form) in shorts else "surname"
            out[form] = Lone(read_as, link, tuple(e.forms))
        elif read_as == PLACE:
            out[form] = Lone(read_as)
    return out


def full_readings(graph: ArticleGraph) -> dict[str, str]:
    """The article's readings of full names: form -> the type it gave, for each name of
    two or more words no other name of the article shares."""
    forms = Counter(own_form(e) for e in graph.entities)
    return {
        form: e.read_as or e.type
        for e in graph.entities
        if is_full(e) and "-" in (form := own_form(e)) and forms[form] == 1
    }


def context_of(graph: ArticleGraph) -> frozenset[str]:
    """The full names of people and organizations in an article's own reading: what a
    lone surname or acronym must share with the articles of the full name it joins.
    Places are left out: most articles share a country."""
    return frozenset(e.key for e in graph.entities if is_full(e) and is_context(e.key, e.type))


def is_context(key: str, etype: str) -> bool:
    return etype != PLACE and short_of(key) is not None


def readings_of(graphs: Iterable[ArticleGraph], into: Readings | None = None) -> Readings:
    readings = into if into is not None else Readings()
    for graph in graphs:
        lone, context, aid = lone_readings(graph), context_of(graph), graph.article.id
        full = full_readings(graph)
        readings.full.update(((aid, form), etype) for form, etype in full.items())
        for e in graph.entities:
            form = own_form(e)
            readings.add(form, e.read_as or e.type, 1, {aid: lone[form]} if form in lone else {})
            if form in lone:
                readings.contexts[(aid, form)] = context
            if is_full(e):
                called = calls_by_short(e)
                readings.add_full(e.key, e.type, 1, int(called))
                if full.get(form) == PERSON and e.type == PERSON and called:
                    readings.full_called[form] += 1
                readings.neighbours[e.key] |= context - {e.key}
    return readings


def link_kind(etype: str) -> str:
    return "surname" if etype == PERSON else "acronym"


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
