"""An organization's arm in a place, named by the two names run together: "BBC Wales",
"AOL UK", "Nintendo UK general manager David Yarnton".

The recognizer reads the place apart from the organization, and the relation extractors
then tie the place to whoever the arm's sentence names ("Glenn Campbell", of "BBC
Scotland's political correspondent Glenn Campbell", held a position for Scotland). With
no word between them the two are one name, the organization's. A possessive ends the
organization's name ("Mr Kilroy-Silk's Buckinghamshire home"), a place the sentence does
not run straight on from the organization ("BBC, Wales") keeps its own reading, and so
does one that qualifies a common noun after it ("the OSCE Chechnya mission": an arm, but
not by name; "eBay UK auctions" stays apart with it, while "general" in "Nintendo UK general
manager" is no noun).
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Span


def with_regional_arms(
    ents: Iterable[Span], organization: str, places: frozenset[str]
) -> list[Span]:
    """`ents`, sorted by start, each organization followed at once by a place (spaCy
    labels) joined with it into one organization."""
    out: list[Span] = []
    for ent in sorted(ents, key=lambda e: e.start):
        last = out[-1] if out else None
        if (
            last is not None
            and last.label_ == organization
            and ent.label_ in places
            and ent.start == last.end
            and ent.sent.start == last.sent.start
            and last[-1].tag_ != "POS"
            and not last.text.endswith(("'s", "\u2019s", "'", "\u2019"))
            and not _qualifies_a_noun(ent)
        ):
            out[-1] = Span(ent.doc, last.start, ent.end, label=organization)
        else:
            out.append(ent)
    return out


def _qualifies_a_noun(place: Span) -> bool:
    """The place qualifies the common noun after it, with the organization before it:
    "the OSCE Chechnya mission", "the EU China arms ban" are no arm's names."""
    doc = place.doc
    return (
        place.end < len(doc)
        and doc[place.end].is_lower
        and doc[place.end].pos_ in ("NOUN", "PROPN")
    )
