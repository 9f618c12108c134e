"""What each article reads of its names, gathered across articles: the evidence the
rules of flows/across_articles.py decide on.

An article's own reading stays as it was (`Lone`, `full_readings`, `context_of`); a
`Readings` counts them over a set of articles, and says which full name a short form may
join (`Readings.leader`, `Readings.linkable`). Pure: graphs in, counts out.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from flows.across_types import PERSON, PLACE
from flows.model import ArticleGraph, Entity
from flows.names import given_name_after_title
from flows.resolve import is_acronym
from flows.short_forms import calls_by_short, name_words, same_name, short_of

# Evidence that a one-word name is the full name other articles give: they call that
# full name by it in at least this many articles, and it is at least this many times as
# common as every other full name of the same short form together ("Blair": Tony Blair
# in 151 BBC articles, Cherie, Ian and Mark Blair in 10).
LINK_MIN_ARTICLES = 2
LINK_DOMINANCE = 9


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
        them, the lone reading's own article decides: `_linked` in flows/across_articles.py)."""
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
