"""The product's faster stand-ins for spaCy's matching give spaCy's own answers, on real
articles: the grouped attribute ruler, the kept lemmatizer, the grouped
DependencyMatcher, the phrase rulers built from tokenized phrases, and the line test of
casing.in_capitals."""

import re
from itertools import islice

import pytest
import spacy
from spacy.matcher import DependencyMatcher
from spacy.tokens import Span

from flows.casing import in_capitals
from flows.grouped_matching import (
    GroupedAttributeRuler,
    GroupedDependencyMatcher,
    KeptLemmatizer,
    keep_lemmas,
)
from flows.read import read_jsonl
from flows.settings import REPO_ROOT, load_settings

BBC = REPO_ROOT.parent / "shared" / "data" / "bbc" / "articles.jsonl"
HEADLINES = (
    "SOCCER - FRENCH LEAGUE STANDINGS\nPARIS 1996-08-30\nNice 3 Lyon 1\n\n"
    "RUGBY UNION - AUSTRALIA BEAT BARBARIANS \n\nCANNOT GO HOME\nThe end."
)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    """Every 25th BBC article, a headline block and the seed articles."""
    articles = [a.text for a in islice(read_jsonl(BBC, 10**7), 0, None, 25)]
    seeds = [p.read_text() for p in sorted((REPO_ROOT / "seeds").glob("*.txt"))]
    return [*articles, *seeds, HEADLINES]


@pytest.fixture(scope="module")
def stock():
    return spacy.load(load_settings().spacy_model)


def test_the_grouped_attribute_ruler_annotates_every_token_as_spacy_does(
    texts, stock, extractor
) -> None:
    assert isinstance(extractor.nlp.get_pipe("attribute_ruler"), GroupedAttributeRuler)
    ours = spacy.load(load_settings().spacy_model)
    from flows.grouped_matching import group_attribute_ruler

    group_attribute_ruler(ours)
    assert isinstance(ours.get_pipe("attribute_ruler"), GroupedAttributeRuler)
    tokens = 0
    for theirs, mine in zip(stock.pipe(texts), ours.pipe(texts), strict=True):
        for a, b in zip(theirs, mine, strict=True):
            tokens += 1
            assert (a.pos_, str(a.morph), a.lemma_, a.tag_, a.dep_) == (
                b.pos_,
                str(b.morph),
                b.lemma_,
                b.tag_,
                b.dep_,
            ), (a.text, a.i)
    assert tokens > 1000


def test_the_kept_lemmatizer_lemmatizes_every_token_as_spacy_does(texts, stock, extractor) -> None:
    assert isinstance(extractor.nlp.get_pipe("lemmatizer"), KeptLemmatizer)
    ours = spacy.load(load_settings().spacy_model)
    keep_lemmas(ours)
    assert isinstance(ours.get_pipe("lemmatizer"), KeptLemmatizer)
    assert ours.pipe_names == stock.pipe_names
    some = texts[::2]  # half the articles: thousands of distinct words, in half the time
    theirs = [t.lemma_ for doc in stock.pipe(some) for t in doc]
    assert [t.lemma_ for doc in ours.pipe([*some, ""]) for t in doc] == theirs
    # Again: the second pass answers from what the first kept.
    again = some[-12:]
    assert [t.lemma_ for doc in ours.pipe(again) for t in doc] == [
        t.lemma_ for doc in stock.pipe(again) for t in doc
    ]
    assert len(theirs) > 1000


def test_the_grouped_attribute_ruler_falls_back_to_spacy_for_rules_it_cannot_group(
    stock,
) -> None:
    ruler = GroupedAttributeRuler(stock.vocab)
    ruler.add([[{"LOWER": "moon", "LENGTH": 4}]], {"POS": "PROPN"})
    doc = stock.make_doc("the moon and the Moon")
    assert [m[2] for m in ruler.match(doc)] == [1, 4]
    assert ruler._single is not None and not ruler._single.exact


def test_the_grouped_dependency_matcher_finds_what_spacys_finds(texts, extractor, ontology) -> None:
    docs = [doc for doc, _, _ in extractor.parse([_cleaned(t, ontology) for t in texts])]
    theirs = DependencyMatcher(docs[0].vocab)
    mine = GroupedDependencyMatcher(docs[0].vocab)
    for spec in ontology.patterns:
        if spec["kind"] == "dependency":
            theirs.add(spec["id"], [spec["pattern"]])
            mine.add(spec["id"], [spec["pattern"]])
    found = [theirs(doc) for doc in docs]
    assert [mine(doc) for doc in docs] == found
    assert sum(map(len, found)) > 0


def test_the_phrase_rulers_hold_every_phrase(extractor, ontology) -> None:
    from flows.places import ruler_patterns

    places = ruler_patterns(ontology.min_city_population, ontology.spacy_label("Location"))
    ruler = extractor.nlp.get_pipe("kg_places")
    assert len(ruler) == len(places)
    names = [p["pattern"] for p in places[:: len(places) // 5]]
    doc = ruler(extractor.nlp.make_doc(", then ".join(names)))
    assert [e.text for e in doc.ents] == names


def test_a_line_in_capitals_is_found_token_by_token_as_in_the_text(texts, stock) -> None:
    words = re.compile(r"[^\W\d_]+")

    def by_text(span: Span) -> bool:
        text = span.doc.text
        start = text.rfind("\n", 0, span.start_char) + 1
        end = text.find("\n", span.end_char)
        found = words.findall(text[start : end if end != -1 else len(text)])
        return len(found) >= 3 and all(w.isupper() for w in found)

    checked = 0
    for doc in stock.tokenizer.pipe(texts[::3]):
        for i in range(len(doc)):
            for span in (doc[i : i + 1], doc[i : i + 3]):
                checked += 1
                assert in_capitals(span) == by_text(span), span.text
    assert checked > 1000


def _cleaned(text: str, ontology):
    from flows.clean import clean
    from flows.read import make_article

    return clean(make_article("t", "t", text), ontology.drop_lines)
