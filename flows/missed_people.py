"""Names the recognizer missed that the words round them say are people's: after a
title ("Prime Minister Sanae Takaichi spoke") or before a role in apposition ("Wi Sung lac,
Lee's national security adviser, said"). Span repair (flows/entity_repair.py) takes them
with the recognizer's own."""

from __future__ import annotations

import numpy as np
from spacy.attrs import DEP, LOWER
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from flows.casing import CasingLexicon
from flows.ontology import Ontology


class MissedPeople:
    """Called on a parsed doc, returns the people's names the recognizer missed."""

    def __init__(self, ontology: Ontology, casing: CasingLexicon | None = None) -> None:
        self.casing = casing
        self.person = ontology.spacy_label("Person")
        self.roles = frozenset(ontology.lexicons.get("roles", ()))
        self.role_ids = np.array(sorted(get_string_id(w) for w in self.roles), dtype=np.uint64)
        # Nouns that, in apposition to a name, say the name is a person's.
        self.person_nouns = self.roles | frozenset(
            w
            for lexicon in ("staff_nouns", "adviser_nouns")
            for w in ontology.lexicons.get(lexicon, ())
        )

    def __call__(self, doc: Doc) -> list[Span]:
        return [*self.appositive(doc), *self.titled(doc)]

    def titled(self, doc: Doc) -> list[Span]:
        """Names the model missed after a title: "Prime Minister Sanae Takaichi spoke". Two
        or three capitalised proper nouns in no entity, right after a capitalised role word,
        none a word the corpus writes in lower case ("Chief Executive Officer")."""
        person = self.person
        found = []
        # Only role words can open one: found in the LOWER array, not token by token.
        titles = np.flatnonzero(np.isin(doc.to_array(LOWER), self.role_ids))
        for i in titles.tolist():
            if not doc[i].is_title:
                continue
            end = i + 1
            while end < len(doc) and end - i <= 4 and self._unclaimed_name_word(doc[end]):
                end += 1
            ended = end == len(doc) or not self._unclaimed_name_word(doc[end])
            if 2 <= end - i - 1 <= 3 and ended:
                found.append(Span(doc, i + 1, end, label=person))
        return found

    def _unclaimed_name_word(self, token: Token) -> bool:
        return (
            token.is_title
            and token.pos_ == "PROPN"
            and not token.ent_type_
            and token.lower_ not in self.roles
            and not (self.casing and self.casing.is_common_word(token.text))
        )

    def appositive(self, doc: Doc) -> list[Span]:
        """Names the model missed that an appositive role says are people's: "Wi Sung lac,
        Lee's national security adviser, said". The name is the capitalised compound the
        role noun is in apposition to, at least two words, in no entity but a person (the
        model often has part of it: "Pak Jong" of "Pak Jong chon")."""
        person = self.person
        found = []
        # Only appositives can be roles: found in the dependency array, not token by token.
        appositives = np.flatnonzero(doc.to_array(DEP) == doc.vocab.strings["appos"])
        for role in (doc[i] for i in appositives.tolist()):
            if role.lower_ not in self.person_nouns or role.pos_ != "NOUN":
                continue
            head = role.head
            start = head.i
            while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head == head:
                start -= 1
            words = doc[start : head.i + 1]
            if (
                len(words) >= 2
                and words[0].is_title
                and all(t.is_alpha and not t.is_stop and t.ent_type_ in ("", person) for t in words)
                and head.i + 1 < len(doc)
                and doc[head.i + 1].text == ","
                and words[-1].lower_ not in self.person_nouns
            ):
                found.append(Span(doc, words.start, words.end, label=person))
        return found
