"""Features of an ordered pair of entity spans in one parsed sentence.

Every feature is a string, present or not, so a model is a table of weights per feature:
plain data that a person can read (see models/relations/). Types are conjoined with the
strongest cues, because what "X ( Y )" means depends on what X and Y are.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

MAX_BETWEEN = 15


def _path(a: Token, b: Token) -> tuple[str, str]:
    """The dependency path between two tokens: labels up to their lowest common ancestor
    and down again, with and without the ancestor's lemma."""
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    common = next((t for t in up_a if t in up_b), None)
    if common is None:
        return "nopath", "nopath"
    left = "/".join(t.dep_ for t in up_a[: up_a.index(common)])
    right = "/".join(t.dep_ for t in reversed(up_b[: up_b.index(common)]))
    return f"{left}^{common.lemma_.lower()}^{right}", f"{left}^{common.pos_}^{right}"


def _shape(token: Token) -> str:
    if token.like_num:
        return "NUM"
    if token.is_punct:
        return token.text
    if token.ent_type_:
        return "ENT"
    return token.pos_


def pair_features(doc: Doc, a: Span, a_type: str, b: Span, b_type: str) -> list[str]:
    """The features of "a relates to b", a and b in the same sentence."""
    first, second = (a, b) if a.start < b.start else (b, a)
    between = doc[first.end : second.start]
    ha, hb = a.root, b.root
    types = f"{a_type}>{b_type}"
    order = "fwd" if a.start < b.start else "rev"
    path, path_pos = _path(ha, hb)
    near = len(between) <= 6
    features = [
        f"types={types}",
        f"order={types}|{order}",
        f"dist={types}|{min(len(between), MAX_BETWEEN) // 3}",
        f"path={types}|{path}",
        f"path_pos={types}|{path_pos}",
        f"head_a={ha.lemma_.lower()}",
        f"head_b={hb.lemma_.lower()}",
        f"dep_a={a_type}|{ha.dep_}",
        f"dep_b={b_type}|{hb.dep_}",
        f"gov_a={a_type}|{ha.head.lemma_.lower()}",
        f"gov_b={b_type}|{hb.head.lemma_.lower()}",
        f"before_first={doc[first.start - 1].lower_ if first.start > 0 else '<s>'}",
        f"after_second={doc[second.end].lower_ if second.end < len(doc) else '</s>'}",
        f"ents_between={min(sum(1 for t in between if t.ent_iob_ == 'B'), 3)}",
    ]
    if near:
        words = " ".join(t.lower_ for t in between)
        shapes = " ".join(_shape(t) for t in between)
        features += [
            f"btw_seq={types}|{order}|{words}",
            f"btw_shape={types}|{order}|{shapes}",
        ]
    else:
        features.append(f"btw_far={types}|{order}")
    for token in between[:MAX_BETWEEN]:
        if not token.is_punct and not token.is_space:
            features.append(f"btw={token.lemma_.lower()}")
            if token.pos_ in ("VERB", "NOUN"):
                features.append(f"btw_typed={types}|{token.lemma_.lower()}")
    for word in a:
        features.append(f"word_a={word.lower_}")
    for word in b:
        features.append(f"word_b={word.lower_}")
    return features
