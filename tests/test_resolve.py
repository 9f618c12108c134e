"""Each resolution rule, on hand-made mentions (no spaCy needed)."""

from flows.model import Article, Extraction, Mention, Provenance, RelationMention, Sentence
from flows.resolve import canonical_names, resolve

PROVENANCE = Provenance("en_test", "0", "p1")


def mentions(*pairs: tuple[str, str]) -> tuple[Mention, ...]:
    return tuple(Mention(text, label, 0, len(text), 0) for text, label in pairs)


def names(ontology, *pairs):
    return canonical_names(mentions(*pairs), ontology)


def test_possessives_articles_and_punctuation_are_normalized(ontology) -> None:
    assert names(
        ontology, ("South Korea\u2019s", "Location"), ("the Sejong Institute", "Organization")
    ) == [
        ("Location", "South Korea"),
        ("Organization", "Sejong Institute"),
    ]


def test_alias_table_maps_variants_to_one_canonical_name(ontology) -> None:
    resolved = names(
        ontology, ("U.S.", "Location"), ("US", "Location"), ("the United States", "Location")
    )
    assert resolved == [("Location", "United States")] * 3


def test_gazetteer_fixes_types_and_drops_junk(ontology) -> None:
    assert names(ontology, ("Nvidia", "Location"), ("North", "Location")) == [
        ("Organization", "Nvidia"),
        None,
    ]
    # An award named in the plural is no entity of the ontology.
    assert names(ontology, ("Oscars", "Organization"), ("the Baftas", "Organization")) == [
        None,
        None,
    ]


def test_a_name_has_the_type_most_of_its_mentions_have(ontology) -> None:
    resolved = names(
        ontology,
        ("Seoul", "Location"),
        ("Seoul", "Organization"),
        ("Seoul", "Location"),
        ("Seoul", "Person"),
    )
    assert resolved == [("Location", "Seoul")] * 4


def test_a_lone_word_read_as_a_person_has_half_a_vote(ontology) -> None:
    # One mention each: the person reading is the weaker one without a full name.
    resolved = names(ontology, ("Korea", "Person"), ("Korea", "Location"))
    assert resolved == [("Location", "Korea")] * 2
    assert (
        names(ontology, ("Pirelli", "Organization"), ("Pirelli", "Person"))
        == [("Organization", "Pirelli")] * 2
    )
    # Twice a person against once anything else is a tie, and the first reading wins.
    resolved = names(
        ontology, ("Clinton", "Person"), ("Clinton", "Person"), ("Clinton", "Organization")
    )
    assert resolved == [("Person", "Clinton")] * 3


def test_a_known_place_read_only_as_a_lone_person_is_the_place(ontology) -> None:
    assert names(ontology, ("Kenya", "Person")) == [("Location", "Kenya")]
    assert names(ontology, ("Kenya", "Person"), ("Kenya", "Person")) == [("Location", "Kenya")] * 2


def test_a_word_of_a_full_person_name_keeps_its_own_types(ontology) -> None:
    resolved = names(
        ontology, ("Michael Jordan", "Person"), ("Jordan", "Person"), ("Jordan", "Location")
    )
    assert resolved == [
        ("Person", "Michael Jordan"),
        ("Person", "Michael Jordan"),
        ("Location", "Jordan"),
    ]


def test_hyphenated_places_are_a_modifier_not_a_place(ontology) -> None:
    assert names(
        ontology,
        ("China-Japan", "Location"),
        ("South Korea-U.S.", "Location"),
        ("Guinea-Bissau", "Location"),
    ) == [None, None, ("Location", "Guinea-Bissau")]


def test_demonym_resolves_to_its_country(ontology) -> None:
    assert names(ontology, ("South Korean", "Location")) == [("Location", "South Korea")]


def test_short_forms_attach_to_the_full_name_in_the_article(ontology) -> None:
    resolved = names(
        ontology,
        ("Lee Jae Myung", "Person"),
        ("Lee", "Person"),
        ("Xi", "Person"),
        ("Xi Jinping", "Person"),
        ("Takaichi", "Person"),
        ("Sanae Takaichi", "Person"),
    )
    assert [r[1] for r in resolved] == [
        "Lee Jae Myung",
        "Lee Jae Myung",
        "Xi Jinping",
        "Xi Jinping",
        "Sanae Takaichi",
        "Sanae Takaichi",
    ]


def test_a_firm_is_not_its_arm_in_a_region_nor_a_venture_it_joins(ontology) -> None:
    resolved = names(
        ontology,
        ("Yukos USA", "Organization"),
        ("Yukos", "Organization"),
        ("BBC Scotland", "Organization"),
        ("BBC", "Organization"),
        ("Fiat-GM", "Organization"),
        ("GM", "Organization"),
        ("Fiat", "Organization"),
        ("Real Madrid", "Organization"),  # a club named after its town: "Real" is the club
        ("Real", "Organization"),
    )
    assert [r[1] for r in resolved] == [
        "Yukos USA",
        "Yukos",
        "BBC Scotland",
        "BBC",
        "Fiat-GM",
        "GM",
        "Fiat",
        "Real Madrid",
        "Real Madrid",
    ]


def test_the_republic_of_ireland_is_the_country(ontology) -> None:
    assert names(ontology, ("Republic of Ireland", "Organization")) == [("Location", "Ireland")]


def test_ambiguous_short_forms_stay_apart(ontology) -> None:
    resolved = names(
        ontology, ("Kim Jong Un", "Person"), ("Kim Jung-kwan", "Person"), ("Kim", "Person")
    )
    assert resolved[2] == ("Person", "Kim")


def test_short_form_needs_the_same_type(ontology) -> None:
    resolved = names(ontology, ("Jordan", "Location"), ("Michael Jordan", "Person"))
    assert resolved[0] == ("Location", "Jordan")


def _extraction(ontology, texts_labels, relations=()):
    text = " ".join(t for t, _ in texts_labels)
    article = Article("a1", "a1", "t", text, "h")
    return Extraction(
        article=article,
        mentions=mentions(*texts_labels),
        relations=tuple(relations),
        sentences=(Sentence(text, 0, len(text)),),
        provenance=PROVENANCE,
    )


def test_one_entity_per_key_with_counts_forms_and_the_fullest_name(ontology) -> None:
    graph = resolve(
        _extraction(
            ontology,
            [("Kang Jun-young", "Person"), ("Kang Jun young", "Person"), ("Kang", "Person")],
        ),
        ontology,
    )
    assert len(graph.entities) == 1
    entity = graph.entities[0]
    assert entity.key == "person:kang-jun-young"
    assert entity.count == 3
    assert entity.forms == ("Kang", "Kang Jun young", "Kang Jun-young")


def test_a_company_is_keyed_without_its_legal_form(ontology) -> None:
    # In two articles, "General Motors Corp" and "General Motors" are one node.
    keys = [
        resolve(_extraction(ontology, [(name, "Organization")]), ontology).entities[0].key
        for name in ["General Motors Corp", "General Motors", "Huawei Technologies Co Ltd"]
    ]
    assert keys == [
        "organization:general-motors",
        "organization:general-motors",
        "organization:huawei-technologies",
    ]


def test_a_party_is_one_node_with_or_without_the_word_party(ontology) -> None:
    keys = [
        resolve(_extraction(ontology, [(name, "Organization")]), ontology).entities[0].key
        for name in ["the Labour Party", "Labour", "Party"]
    ]
    assert keys == ["organization:labour", "organization:labour", "organization:party"]
    # In one article, both are one entity, shown by its fullest name.
    graph = resolve(
        _extraction(ontology, [("Labour", "Organization"), ("the Labour Party", "Organization"),
                               ("Labour", "Organization")]),
        ontology,
    )  # fmt: skip
    assert [(e.key, e.name) for e in graph.entities] == [("organization:labour", "Labour Party")]


def test_a_party_read_as_a_person_joins_its_full_name_in_the_article(ontology) -> None:
    # "Labour and the Conservatives are still telephoning ...", then "A Labour Party
    # spokesman": the recognizer read the lone "Labour" as a person twice.
    graph = resolve(
        _extraction(
            ontology,
            [("Labour", "Person"), ("Labour", "Person"), ("Labour Party", "Organization")],
        ),
        ontology,
    )
    assert [(e.key, e.name, e.count) for e in graph.entities] == [
        ("organization:labour", "Labour Party", 3)
    ]


def test_statements_need_an_ontology_match_and_two_distinct_entities(ontology) -> None:
    relations = [
        RelationMention("MEETS", 0, 1, 0, 0.9, "p", "1"),
        RelationMention("MEETS", 0, 2, 0, 0.9, "p", "1"),  # Person MEETS Location: not allowed
        RelationMention("MEETS", 0, 3, 0, 0.9, "p", "1"),  # "Xi" is Xi Jinping himself
    ]
    graph = resolve(
        _extraction(
            ontology,
            [
                ("Xi Jinping", "Person"),
                ("Lee Jae Myung", "Person"),
                ("Seoul", "Location"),
                ("Xi", "Person"),
            ],
            relations,
        ),
        ontology,
    )
    assert [(s.subject, s.predicate, s.object) for s in graph.statements] == [
        ("person:xi-jinping", "MEETS", "person:lee-jae-myung")
    ]
    assert graph.statements[0].sentence == graph.article.text


def test_a_surname_joins_the_person_whatever_type_the_model_gave_it(ontology) -> None:
    resolved = names(
        ontology, ("John Major", "Person"), ("Major", "Organization"), ("Rosati", "Location"),
        ("Dariusz Rosati", "Person"),
    )  # fmt: skip
    assert resolved == [
        ("Person", "John Major"), ("Person", "John Major"), ("Person", "Dariusz Rosati"),
        ("Person", "Dariusz Rosati"),
    ]  # fmt: skip


def test_a_known_place_does_not_join_a_person_named_after_it(ontology) -> None:
    resolved = names(ontology, ("George Washington", "Person"), ("Washington", "Location"))
    assert resolved[1] == ("Location", "Washington")


def test_an_acronym_joins_the_name_it_abbreviates(ontology) -> None:
    resolved = names(
        ontology, ("World Trade Organisation", "Organization"), ("WTO", "Organization"),
        ("African National Congress", "Organization"), ("ANC", "Person"),
    )  # fmt: skip
    assert [r[1] for r in resolved] == ["World Trade Organisation"] * 2 + [
        "African National Congress"
    ] * 2
    assert resolved[3][0] == "Organization"


def test_titles_never_reach_a_key(ontology) -> None:
    resolved = names(ontology, ("Alan Greenspan", "Person"), ("Mr Greenspan", "Person"))
    assert resolved == [("Person", "Alan Greenspan")] * 2


def test_a_titled_surname_makes_its_one_full_name_a_person(ontology) -> None:
    # The model read "Bernie Ebbers" as a company; "Mr Ebbers" says he is a person.
    resolved = names(
        ontology, ("Bernie Ebbers", "Organization"), ("Mr Ebbers", "Person"),
        ("Worldcom", "Organization"),
    )  # fmt: skip
    assert resolved == [("Person", "Bernie Ebbers")] * 2 + [("Organization", "Worldcom")]


def test_a_titled_surname_leaves_places_and_ambiguous_names_alone(ontology) -> None:
    # Two full names end with Morgan: neither is retyped, and "Morgan" stays apart.
    resolved = names(
        ontology, ("JP Morgan", "Organization"), ("Piers Morgan", "Organization"),
        ("Mr Morgan", "Person"), ("New York", "Location"), ("Ms York", "Person"),
    )  # fmt: skip
    assert resolved[:3] == [
        ("Organization", "JP Morgan"), ("Organization", "Piers Morgan"), ("Person", "Morgan"),
    ]  # fmt: skip
    assert resolved[3] == ("Location", "New York")
