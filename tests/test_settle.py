"""One type for a name across articles (flows/settle.py): each rule on hand-made articles,
and the load stage settling against the real stores the same way whatever the batches."""

from flows.export import export_records
from flows.load import load_articles
from flows.model import Article, Extraction, Mention, Provenance, RelationMention, Sentence
from flows.resolve import resolve
from flows.settle import settle_all

PROVENANCE = Provenance("en_test", "0", "p1")


def article(article_id: str, *names: tuple[str, str], relation: str | None = None):
    """An article naming each (text, type) once; `relation` links the first to the second."""
    text = " and ".join(t for t, _ in names) + "."
    mentions, at = [], 0
    for name, etype in names:
        mentions.append(Mention(name, etype, at, at + len(name), 0))
        at += len(name) + 5
    relations = (RelationMention(relation, 0, 1, 0, 0.9, "trained", "t1"),) if relation else ()
    extraction = Extraction(
        article=Article(article_id, article_id, "t", text, f"h-{article_id}"),
        mentions=tuple(mentions),
        relations=relations,
        sentences=(Sentence(text, 0, len(text)),),
        provenance=PROVENANCE,
    )
    return extraction


def keys_of(graphs) -> list[list[str]]:
    return [sorted(e.key for e in g.entities) for g in graphs]


def settled(ontology, *articles):
    return settle_all([resolve(a, ontology) for a in articles], {}, ontology)


def test_a_name_takes_the_type_more_articles_gave_it_and_loses_what_that_type_forbids(
    ontology,
) -> None:
    graphs = settled(
        ontology,
        article("a1", ("Longyear", "Location"), ("Norway", "Location")),
        article("a2", ("Longyear", "Location")),
        article("a3", ("Longyear", "Person"), ("Norway", "Location"), relation="LIVES_IN"),
    )
    assert resolve(article("a3", ("Longyear", "Person"), ("Norway", "Location"),
                           relation="LIVES_IN"), ontology).statements  # fmt: skip
    assert keys_of(graphs)[2] == ["location:longyear", "location:norway"]
    assert graphs[2].statements == ()  # a place does not live in a place


def test_a_tie_keeps_the_articles_own_reading(ontology) -> None:
    # One early misreading ("Robert F. Kennedy" read as a company once) must not decide
    # every article after it.
    graphs = settled(
        ontology,
        article("a1", ("Robert F. Kennedy", "Organization")),
        article("a2", ("Robert F. Kennedy", "Person")),
        article("a3", ("Robert F. Kennedy", "Person")),
    )
    assert (
        keys_of(graphs) == [["organization:robert-f-kennedy"]] + [["person:robert-f-kennedy"]] * 2
    )


def test_a_tie_goes_to_a_type_two_articles_gave_before(ontology) -> None:
    graphs = settled(
        ontology,
        article("a1", ("Derbyshire", "Organization")),
        article("a2", ("Derbyshire", "Organization")),
        article("a3", ("Derbyshire", "Person")),
    )
    assert keys_of(graphs)[2] == ["organization:derbyshire"]


def test_a_known_place_read_as_a_place_stays_one(ontology) -> None:
    # Sports tables make "Atlanta" a team, in two articles; the third means the city.
    graphs = settled(
        ontology,
        article("a1", ("Atlanta", "Organization")),
        article("a2", ("Atlanta", "Organization")),
        article("a3", ("Atlanta", "Location")),
    )
    assert keys_of(graphs)[2] == ["location:atlanta"]


def test_a_company_with_its_legal_form_stays_a_company(ontology) -> None:
    graphs = settled(
        ontology,
        article("a1", ("Apic Yamada", "Person")),
        article("a2", ("Apic Yamada", "Person")),
        article("a3", ("Apic Yamada Corp", "Organization")),
    )
    assert keys_of(graphs)[2] == ["organization:apic-yamada"]


def test_two_readings_in_one_article_become_one_entity(ontology) -> None:
    graphs = settled(
        ontology,
        article("a1", ("Pirelli", "Organization")),
        article("a2", ("Pirelli", "Organization")),
        article("a3", ("Pirelli", "Person"), ("Pirelli", "Location")),
    )
    (entity,) = graphs[2].entities
    assert (entity.key, entity.type, entity.count) == ("organization:pirelli", "Organization", 2)


def test_the_store_settles_the_same_whatever_the_batches(store, ontology) -> None:
    graphs = [
        resolve(a, ontology)
        for a in (
            article("a1", ("Longyear", "Location")),
            article("a2", ("Longyear", "Location"), ("Norway", "Location")),
            article("a3", ("Longyear", "Person"), ("Norway", "Location"), relation="LIVES_IN"),
        )
    ]
    for graph in graphs:
        load_articles(store, [graph], ontology, "t1")
    one_by_one = export_records(store)
    assert {r["k"] for r in store.read("MATCH (e:Entity) RETURN e.key AS k")} == {
        "location:longyear",
        "location:norway",
    }
    store.reset()
    store.ensure_schema()
    load_articles(store, graphs, ontology, "t1")
    assert export_records(store) == one_by_one
    # Rewriting the odd article does not count its own earlier reading.
    load_articles(store, graphs[2:], ontology, "t1")
    assert export_records(store) == one_by_one
