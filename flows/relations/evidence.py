"""What the syntax between two names rules out, whatever an extractor reads there.

Two keys of a relation type in schema/ontology.yaml:
- `in_a_list: false`: names side by side in a list ("Wales and England", "Chelsea and West
  Ham") never hold it. A list's members stand beside each other; none is in another.
- `verbs: [...]`: it is stated only within one phrase ("Germany's SAP", "US oil giant
  Exxon", "Manchester band Doves") or by one of these verbs ("SAP is based in Walldorf"),
  so no other verb lies on the dependency path between the names. The place of an event
  ("Yukos filed the suit in Houston") says nothing of where the firm is.
- `cues: [...]`: it is stated only in a sentence holding one of these words (by lemma):
  a killing where the sentence speaks of a death or an attack, not in a match report
  where one player "beat" another.
- `qualifier: false`: a place whose name only qualifies a thing outside the subject's own
  phrase ("the Iraq war", "the US box office", "Mexican movie Y Tu Mama Tambien") is that
  thing's place, not the subject's; within it, it is ("Australian star Hugh Jackman"), and
  so it is where the thing is someone's home or role ("his Iowa hometown", "a Wilmington
  native", "an Austin policeman": `home_nouns` and the role lexicons).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

_VERB_TAGS = frozenset({"VERB", "AUX"})
_CONJUNCTIONS = frozenset({"and", "or", "nor", "&", "v", "vs", "versus"})


def dependency_path(a: Span, b: Span) -> tuple[list[Token], Token, list[Token]] | None:
    """(the tokens up from a's head, their lowest common ancestor, the tokens up from b's
    head), or None when the two heads share no ancestor."""
    up_a = [a.root, *a.root.ancestors]
    up_b = [b.root, *b.root.ancestors]
    on_b = {t.i for t in up_b}
    common = next((t for t in up_a if t.i in on_b), None)
    if common is None:
        return None
    return up_a[: up_a.index(common)], common, up_b[: [t.i for t in up_b].index(common.i)]


def in_a_list(a: Span, b: Span) -> bool:
    """The names are members of one coordination: every arc between them is `conj`, and a
    conjunction lies between ("Michoacan, Mexico" is no list)."""
    path = dependency_path(a, b)
    if path is None:
        return False
    arcs = path[0] + path[2]
    if not arcs or any(t.dep_ != "conj" for t in arcs):
        return False
    first, second = (a, b) if a.start < b.start else (b, a)
    return any(t.lower_ in _CONJUNCTIONS for t in a.doc[first.end : second.start])


def called_as_past(name: Span, past_words: frozenset[str], held: Span | None = None) -> bool:
    """The name's own phrase puts its role in the past: a past word before the name ("former
    WorldCom chief Bernie Ebbers"), before the noun beside it ("Ebbers, the ex-chief of
    WorldCom"), or before the noun it stands beside ("the former head of Yukos, Mikhail
    Khodorkovsky"). Or one stands right before the name of what the role is held in
    (`held`): "former Enron chief executives Ken Lay and Jeff Skilling", where Skilling's
    own phrase is the list's second item, and "Ex-BBC chat show host Robert Kilroy-Silk",
    which the parser reads as no phrase of his."""
    doc, root = name.doc, name.root
    heads = [t for t in root.children if t.dep_ == "appos"]
    if root.dep_ == "appos":
        heads.append(root.head)
    before = [doc[root.left_edge.i : name.start]] + [doc[t.left_edge.i : t.i] for t in heads]
    if any(t.lower_ in past_words for words in before for t in words):
        return True
    return held is not None and _right_after_a_past_word(held, past_words)


def _right_after_a_past_word(name: Span, past_words: frozenset[str]) -> bool:
    """ "former Chelsea", "ex-Chelsea", "Ex - BBC" as the tokenizer splits it, the past word
    within the recognizer's name or before it."""
    if name.doc[name.start].lower_ in past_words:
        return True
    i = name.start - 1
    if i >= 0 and name.doc[i].text == "-":
        i -= 1
    return i >= name.sent.start and name.doc[i].lower_ in past_words


def across_a_verb(a: Span, b: Span, stating: frozenset[str]) -> bool:
    """A verb other than the stating ones (by lemma) lies on the path between the names,
    their common ancestor included. No path at all counts as across."""
    path = dependency_path(a, b)
    if path is None:
        return True
    up_a, common, up_b = path
    return any(
        t.pos_ in _VERB_TAGS and t.lemma_.lower() not in stating
        for t in (*up_a, common, *up_b)
        if not (a.start <= t.i < a.end or b.start <= t.i < b.end)
    )


_QUALIFYING = frozenset({"compound", "amod", "nmod"})


def qualifies_a_thing(subject: Span, place: Span, someone_s: frozenset[str]) -> bool:
    """The place's name qualifies a common noun that is no one's home or role
    (`someone_s`, by lemma), and that noun's phrase is not the subject's: not a noun inside
    the subject's name, before it ("star Hugh Jackman") or in apposition to it ("Hugh
    Jackman, the Australian star")."""
    noun, doc = place.root.head, place.doc
    if place.root.dep_ not in _QUALIFYING or noun.pos_ != "NOUN":
        return False
    if place.start > 0 and doc[place.start - 1].text == "(":
        return False  # "Vebjoen Rodal (Norway)": the name's place in a results line
    while True:
        # "his Berlin bunker", "his New York City apartment": the subject's own thing.
        if noun.lemma_.lower() in someone_s or any(c.dep_ == "poss" for c in noun.children):
            return False
        if noun.dep_ not in _QUALIFYING or noun.head.pos_ != "NOUN":
            break
        noun = noun.head  # "US box office crown": the phrase's head
    ends = (noun, noun.head) if noun.dep_ in ("compound", "appos") else (noun,)
    return not any(subject.start <= t.i < subject.end for t in ends) and not (
        subject.root.dep_ == "appos" and subject.root.head.i == noun.i
    )


def without_cue(a: Span, cues: frozenset[str]) -> bool:
    """No word of the sentence holding `a` is one of the cues (by lemma)."""
    return not any(t.lemma_.lower() in cues for t in a.sent)
