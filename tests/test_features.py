"""The pair features the relation model reads: what they say about a sentence."""

from __future__ import annotations

from flows.relations.features import DocFeatures


def test_a_path_through_another_entity_is_a_feature(extractor) -> None:
    # "The BBC's Louisa Lim in Beijing": the path from the BBC to Beijing runs through the
    # reporter, who is the one in Beijing.
    text = "The BBC's Louisa Lim in Beijing said the talks had failed."
    doc = extractor.nlp(text)
    spans = {
        name: doc.char_span(text.index(name), text.index(name) + len(name), label=label)
        for name, label in (("BBC", "ORG"), ("Louisa Lim", "PERSON"), ("Beijing", "GPE"))
    }
    doc.ents = list(spans.values())
    features = DocFeatures(doc)
    bbc_beijing = features(spans["BBC"], "Organization", spans["Beijing"], "Location")
    assert "path_via=Organization>Location|PERSON" in bbc_beijing
    assert "path_via_any=Organization>Location" in bbc_beijing
    lim_beijing = features(spans["Louisa Lim"], "Person", spans["Beijing"], "Location")
    assert "path_clear=Person>Location" in lim_beijing
    assert not any(f.startswith("path_via") for f in lim_beijing)


def test_the_words_on_the_path_between_two_names_are_features(extractor) -> None:
    # "Kim, head of the party": the path from Kim to the party runs through "head" and
    # "of", which say how the two are linked. The words are read up from each name to
    # where the two branches meet: from the party up, "of", then "head".
    text = "Kim Dae-jung, head of the Democratic Party, spoke on Monday."
    doc = extractor.nlp(text)
    spans = {
        name: doc.char_span(text.index(name), text.index(name) + len(name), label=label)
        for name, label in (("Kim Dae-jung", "PERSON"), ("Democratic Party", "ORG"))
    }
    doc.ents = list(spans.values())
    features = DocFeatures(doc)(
        spans["Kim Dae-jung"], "Person", spans["Democratic Party"], "Organization"
    )
    assert "path_words=Person>Organization|of head" in features
    assert "path_word=Person>Organization|head" in features
    assert "path_word=Person>Organization|of" in features


def test_a_nearer_name_of_the_same_type_is_a_feature(extractor) -> None:
    # "Rice met Annan, head of the UN": Annan stands nearer the UN than Rice does, so the
    # UN is more likely his; between Annan and the UN no other person stands.
    text = "Condoleezza Rice met Kofi Annan, head of the United Nations, in New York."
    doc = extractor.nlp(text)
    names = [
        (doc.char_span(text.index(name), text.index(name) + len(name), label=label), etype)
        for name, label, etype in (
            ("Condoleezza Rice", "PERSON", "Person"),
            ("Kofi Annan", "PERSON", "Person"),
            ("United Nations", "ORG", "Organization"),
            ("New York", "GPE", "Location"),
        )
    ]
    doc.ents = [span for span, _ in names]
    (rice, _), (annan, _), (un, _), (new_york, _) = names
    features = DocFeatures(doc, names)
    assert "rivals=Person>Organization|near|clear" in features(rice, "Person", un, "Organization")
    assert "rivals=Person>Organization|clear|clear" in features(annan, "Person", un, "Organization")
    # Without the document's names, no name is a rival.
    alone = DocFeatures(doc)(rice, "Person", un, "Organization")
    assert "rivals=Person>Organization|clear|clear" in alone
    # Only names of the same type compete: the UN, standing between Annan and New York,
    # is no rival to New York.
    assert "rivals=Person>Location|near|clear" in features(rice, "Person", new_york, "Location")
    assert "rivals=Person>Location|clear|clear" in features(annan, "Person", new_york, "Location")


def test_how_a_name_sits_in_its_sentence_is_a_feature(extractor) -> None:
    # "All England Club chairman Tim Phillips", read with "England Club" as the name: the
    # capitalized word just before it says the name may be a piece of a longer one. A club
    # in brackets after a player ("S Thompson (Northampton)") sits between brackets, and
    # the player's name has an initial's shape.
    text = "All England Club chairman Tim Phillips met S Thompson (Northampton) on Monday."
    doc = extractor.nlp(text)
    spans = {
        name: doc.char_span(text.index(name), text.index(name) + len(name), label=label)
        for name, label in (
            ("England Club", "ORG"),
            ("Tim Phillips", "PERSON"),
            ("S Thompson", "PERSON"),
            ("Northampton", "GPE"),
        )
    }
    doc.ents = list(spans.values())
    features = DocFeatures(doc)
    phillips_club = features(spans["Tim Phillips"], "Person", spans["England Club"], "Organization")
    assert "edge_b=Organization|Cap|low" in phillips_club
    assert "shape_a=Person|C C" in phillips_club
    assert "label_b=Organization|ORG" in phillips_club
    thompson = features(spans["S Thompson"], "Person", spans["Northampton"], "Location")
    assert "edge_b=Location|(|)" in thompson
    assert "shape_a=Person|I C" in thompson
