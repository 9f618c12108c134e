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
