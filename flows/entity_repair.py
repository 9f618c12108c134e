"""Entity repair: the recognizer's spans, mended before relations are extracted, so that
the extractors and resolution see the same entities. Truncated names are completed,
spans glued across a dash or a slash are cut, qualifiers are cut off ("ex-England"), what
is not a name (a common word, a headline's words, a time zone, an event, a figures
table's row heading) is dropped, and a nationality read as a name is a nationality
("Tajik troops"); a country is a Location whatever the model said, unless it is a team in
a results line.
"""

from __future__ import annotations

from functools import partial

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from flows.casing import (
    CasingLexicon,
    in_capitals,
    without_common_words_in_capitals,
    without_hyphened_words,
    without_lower_case_tail,
)
from flows.classifiers import ContextTypes, ContextWords, classified
from flows.given_names import (
    capitals_as_a_person,
    common_words_as_a_person,
    without_capital_of_the_sentence,
)
from flows.line_ups import LineUps
from flows.missed_people import MissedPeople
from flows.name_parts import SEPARATORS, Commas, completed_person_name, name_parts
from flows.names import match_form, normalize_name
from flows.non_names import (
    is_nationality_word,
    is_not_a_name,
    is_row_heading,
    without_articled_people,
)
from flows.ontology import Ontology
from flows.places import (
    JoinedPlaceNames,
    acronym_of_no_place,
    cannot_lie_within,
    country_forms,
    place_forms,
    place_names,
    used_as_a_place,
)
from flows.regional_arms import with_regional_arms
from flows.teams import Teams, names_a_base
from flows.usage import UsageLexicon


class EntityRepair:
    """Called on a parsed doc, returns the spans to keep as its entities."""

    def __init__(
        self,
        ontology: Ontology,
        casing: CasingLexicon | None = None,
        usage: UsageLexicon | None = None,
    ) -> None:
        self.ontology, self.casing, self.usage = ontology, casing, usage
        self.roles = frozenset(ontology.lexicons.get("roles", ()))
        self.team_label = ontology.spacy_label("Organization")
        self.place_labels = frozenset(ontology.spacy_labels("Location")) - {ontology.demonym_label}
        self.place_preps = frozenset(ontology.lexicons.get("place_preps", ()))
        self.visit_verbs = frozenset(ontology.lexicons.get("visit_verbs", ()))
        self.missed_people = MissedPeople(ontology, casing)
        self.line_ups = LineUps(ontology)
        if ontology.min_city_population:
            countries = country_forms(ontology.min_city_population)
            # And their other names in schema/aliases.yaml ("Britain").
            self.countries = countries | {
                form
                for (etype, form), name in ontology.aliases.items()
                if etype == "Location" and match_form(name) in countries
            }
            self.places = place_forms(ontology.min_city_population)
            # Every town GeoNames lists, however small: a club may be named after one.
            self.towns = place_forms(1) | self.countries
            country_names = place_names(ontology.min_city_population)[0]
        else:
            self.countries = self.places = self.towns = country_names = frozenset()
        self.joined_places = JoinedPlaceNames.of(country_names, ontology.spacy_label("Location"))
        self.teams = Teams(ontology, self.countries, usage.club_towns if usage else frozenset())
        # Places by any name the schema gives them ("UK" too).
        self.place_names = self.places | {
            form for etype, form in ontology.aliases if etype == "Location"
        }
        self.words = ContextWords.of(ontology)
        self.fixture_words = ontology.fixture_separators
        self.titles = self.roles.union(
            *(
                ontology.lexicons.get(k, ())
                for k in ("honorifics", "titles_of_men", "titles_of_women", "noble_titles")
            )
        )
        person, places = ontology.spacy_label("Person"), self.place_names
        population = ontology.min_city_population
        commas = Commas(
            person,
            self.team_label,
            ontology.spacy_label("Location"),
            partial(cannot_lie_within, min_city_population=population) if population else None,
        )
        self.parts = partial(
            name_parts,
            commas=commas,
            aside_label=self.team_label,
            places=places,
            separators=SEPARATORS | self.fixture_words,
        )
        self.context_types = ContextTypes(self.words, self.countries, ontology.entity_types.get)

    def __call__(self, doc: Doc) -> list[Span]:
        person = self.ontology.spacy_label("Person")
        # Words of longer names: "Major" beside "John Major" is his, whatever "major" is.
        name_words = {t.lower_ for ent in doc.ents if len(ent) > 1 for t in ent}
        repaired, team_sport = [], self.teams.about_a_team_sport(doc)
        found = with_regional_arms(
            self.joined_places.merged(
                doc, self.line_ups(doc, [*doc.ents, *self.missed_people(doc)])
            ),
            self.team_label,
            self.place_labels,
        )
        for ent in (part for span in found for part in self._names_in(span, team_sport)):
            if self._honorific_name(ent):
                ent = Span(doc, ent.start, ent.end, label=person)
            if ent.label_ == person and self._place_read_as_a_person(ent, name_words, team_sport):
                span = Span(doc, ent.start, ent.end, label=self.ontology.spacy_label("Location"))
            elif ent.label_ == person:
                span = without_capital_of_the_sentence(
                    completed_person_name(ent, self.roles, self.casing), self.casing
                )
            elif ent.label_ == self.ontology.demonym_label:
                span = self._demonym_only(ent)
            else:
                span = self._nationality_before_title(ent) or ent
            unqualified = without_hyphened_words(span, self.casing)
            if unqualified is None:
                continue
            span = without_lower_case_tail(unqualified, self.roles, self.casing)
            if self.casing and match_form(span.text) not in self.places:
                cut = without_common_words_in_capitals(span, self.casing)
                if cut is None:
                    continue
                if cut != span and match_form(cut.text) in self.places:
                    # The words cut off made it look like more than a place ("AT DETROIT").
                    cut = Span(doc, cut.start, cut.end, label=self.ontology.spacy_label("Location"))
                span = cut
            form = match_form(normalize_name(span.text))
            if (
                form in self.ontology.drop
                or (span.label_ == person and span[-1].lower_ in self.ontology.not_person_heads)
                or self._a_thing(span, form, name_words)
            ):
                continue
            if is_nationality_word(span) and form not in self.places:
                span = Span(doc, span.start, span.end, label=self.ontology.demonym_label)
            elif (
                self._is_common_word(span, name_words)
                or (span.label_ == person and self._common_words(span))
                or is_not_a_name(span, self.ontology.event_heads, self.ontology.market_words)
                or (is_row_heading(span) and form not in self.places)
            ):
                continue
            # A country, or a place named as a base ("the Edinburgh-based firm CEC").
            if self.ontology.entity_types.get(span.label_) != "Location" and (
                (form in self.countries and span.label_ != person)
                or (form in self.place_names and names_a_base(span))
            ):
                span = Span(doc, span.start, span.end, label=self.ontology.spacy_label("Location"))
            if (
                self._is_team(span, team_sport)
                or (
                    self.ontology.entity_types.get(span.label_) == "Location"
                    and acronym_of_no_place(span, self.place_names)
                )
                or self._group_read_as_a_person(span, form, name_words, team_sport)
            ):
                span = Span(doc, span.start, span.end, label=self.team_label)
            forced = self.ontology.gazetteer_types.get(form)
            if forced is not None and self.ontology.entity_types.get(span.label_) != forced:
                span = Span(doc, span.start, span.end, label=self.ontology.spacy_label(forced))
            repaired.append(span)
        repaired = classified(
            doc,
            repaired,
            self.context_types,
            self.ontology.entity_types.get,
            self.ontology.spacy_label,
        )
        # After the context has typed them: "Belgian club Standard Liege" is no person.
        if self.casing is not None:
            repaired = [
                s
                for s in repaired
                if s.label_ != person or not capitals_as_a_person(s, self.casing)
            ]
        return filter_spans(without_articled_people(doc, repaired, person))

    def _names_in(self, span: Span, team_sport: bool) -> list[Span]:
        """The names a span holds (flows/name_parts.py). Surnames listed with commas in an
        article about a team sport, read together as one organization, are a team
        sheet's players ("Subs Not Used: White, McIntosh, Wood, Lloyd, Herron"), unless one
        of them is a town's name, as a club may be ("Doncaster, Hartlepool")."""
        parts = self.parts(span)
        if (
            team_sport
            and len(parts) > 1
            and span.label_ == self.team_label
            and all(" " not in p.text and match_form(p.text) not in self.towns for p in parts)
        ):
            person = self.ontology.spacy_label("Person")
            return [Span(span.doc, p.start, p.end, label=person) for p in parts]
        return parts

    def _is_team(self, span: Span, team_sport: bool) -> bool:
        """A place written as a team (flows/teams.py) is an organization, as the annotators
        of sports news have it."""
        return self.ontology.entity_types.get(span.label_) == "Location" and (
            self.teams.plays_as_team(span, team_sport)
        )

    def _group_read_as_a_person(
        self, span: Span, form: str, name_words: set[str], team_sport: bool
    ) -> bool:
        """A name read as a person's that the corpus calls a group's ("Scottish rock band
        Franz Ferdinand": flows/usage.py) is an organization's, unless it is one word that
        may be someone's here: a word of a longer name in the article, or a surname in an
        article about a team sport ("Keane" is a band and Roy Keane)."""
        return (
            self.usage is not None
            and span.label_ == self.ontology.spacy_label("Person")
            and self.usage.is_group(form)
            and (len(span) > 1 or not (team_sport or span[0].lower_ in name_words))
        )

    def _place_read_as_a_person(self, span: Span, name_words: set[str], team_sport: bool) -> bool:
        """A place read as a person's: a name of two words or more that is a town's, with
        no title before it ("St Helens", "Porto Alegre"; of CrossRE's and CoNLL04's gold
        people, only "President Van Buren" is one), or a lone word that is a large place
        the sentence uses as one, or a fixture's side, or in an article about a team sport
        a town set against a side ("against Livingston": its club, `_is_team`), unless a
        longer name in the article holds it ("Michael Jordan" for "Jordan")."""
        words, form = [t for t in span if not t.is_space], match_form(span.text)
        if len(words) > 1:
            before = [span.doc[span.start - 1]] if span.start else []
            return form in self.towns and not any(
                t.lower_.rstrip(".") in self.titles for t in [*before, *words]
            )
        return span[0].lower_ not in name_words and (
            (
                form in self.places
                and (
                    used_as_a_place(span[0], self.place_preps, self.visit_verbs, self.place_names)
                    or self._a_fixtures_side(span)
                )
            )
            or (team_sport and form in self.towns and self.teams.set_against(span))
        )

    def _a_fixtures_side(self, span: Span) -> bool:
        """A side of a fixture ("Lesotho v Malawi"): a place's, not a person's, name."""
        doc, words = span.doc, self.fixture_words
        return (span.end < len(doc) and doc[span.end].text in words) or (
            span.start > 0 and doc[span.start - 1].text in words
        )

    def _honorific_name(self, ent: Span) -> bool:
        """An organization or place whose name starts with an honorific ("Mr Ebbers",
        "Ms Lomax") is a person: resolution then strips the honorific and joins the short
        form to the full name."""
        return (
            len(ent) >= 2
            and self.words.led_by_honorific(ent)
            and ent[1].is_title
            and self.ontology.entity_types.get(ent.label_) in ("Organization", "Location")
        )

    def _a_thing(self, span: Span, form: str, name_words: set[str]) -> bool:
        """A name the corpus writes as a product or a work (flows/usage.py), unless it is
        a place's or the gazetteer types it."""
        return (
            self.usage is not None
            and form not in self.places
            and form not in self.ontology.gazetteer_types
            and self.usage.names_a_thing(span, form, self.words.honorifics, name_words)
        )

    def _is_common_word(self, span: Span, name_words: set[str]) -> bool:
        """A one-word name the corpus writes in lower case ("Attendance"), unless a known
        place ("Nice") or part of a longer name here ("Major" of "John Major"). A word in
        capitals is judged only in a line all in capitals ("CRICKET - KENT WIN"): elsewhere
        its case says nothing ("BONE, Idaho (AP)")."""
        if (
            self.casing is None
            or len(span) != 1
            or (span.text.isupper() and not in_capitals(span))
            or span[0].lower_ in name_words
            or self.ontology.entity_types.get(span.label_) is None
        ):
            return False
        form = match_form(span.text)
        if form in self.places or form in self.ontology.gazetteer_types:
            return False
        return self.casing.is_common_word(span.text)

    def _common_words(self, span: Span) -> bool:
        return self.casing is not None and common_words_as_a_person(span, self.casing)

    def _demonym_only(self, ent: Span) -> Span:
        """A nationality span the model ran on into a title ("South Korean Industry" before
        "Minister Kim") is cut back to the nationality, so the title reads as one."""
        if match_form(ent.text) in self.ontology.demonyms:
            return ent
        for end in range(ent.end - 1, ent.start, -1):
            if match_form(ent.doc[ent.start : end].text) in self.ontology.demonyms:
                return Span(ent.doc, ent.start, end, label=ent.label_)
        return ent

    def _nationality_before_title(self, ent: Span) -> Span | None:
        """An organization or place that is a nationality and the first words of a title
        ("Chinese Commerce" before "Minister Wang Wentao"): only the nationality, labelled
        as one, so that the title reads whole. None for any other span."""
        doc = ent.doc
        if ent.end >= len(doc) or doc[ent.end].lower_ not in self.roles:
            return None
        end = ent.end
        while end > ent.start + 1 and doc[end - 1].lower_ in self.roles:
            end -= 1
        if end == ent.end or match_form(doc[ent.start : end].text) not in self.ontology.demonyms:
            return None
        return Span(doc, ent.start, end, label=self.ontology.demonym_label)
