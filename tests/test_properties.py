"""Property tests of cleaning and name normalization on arbitrary, hostile text.

What the code promises, checked for any input: cleaning never raises, maps every cleaned
character back into the original (same character, up to the quote straightening it does),
keeps words whole, and cleaning clean text changes nothing; normalizing a name twice is
normalizing it once, and the match form (hence the entity key) of a name is stable.
"""

from __future__ import annotations

import re
import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from flows.clean import clean
from flows.model import Article, CleanArticle
from flows.names import DASHES, QUOTES, entity_key, match_form, normalize_name
from flows.ontology import load_ontology
from flows.settings import REPO_ROOT

RULES = load_ontology(REPO_ROOT / "schema").drop_lines
FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Every kind of line break str.splitlines knows, other whitespace, controls, quotes, dashes.
SPACES = [" ", "  ", "\t", "\n", "\r\n", "\r", "\n\n", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e"]
SPACES += ["\x85", "\u2028", "\u2029", "\u00a0", "\u2009", "\u3000"]
ODD = ["\x00", "\x07", "\x1b[31m", "\ufeff", "\u200b", "\u0301", "\ud7ff", "\U0001f389"]
QUOTE_CHARS = ["'", '"', "`", "\u2018", "\u2019", "\u201a", "\u201c", "\u201d", "\u201e"]
DASH_CHARS = ["-", "\u2010", "\u2011", "\u2013", "\u2014", "\u2212", "\ufe58", "\ufe31", "_"]
# Words the boilerplate rules in schema/cleaning.yaml look for, and some names.
WORDS = ["Read", "also", "Also:", ":", "follow", "us", "on", "Advertisement", "Share", "this"]
WORDS += ["story", "Sponsored", "content", "Click", "here", "Subscribe", "now", "to", "the"]
WORDS += ["Kang", "Jun-young", "U.S.", "O'Brien", "Lee's", "Jones'", "Caf\u00e9", "\u0130stanbul"]
WORDS += ["\u041f\u0443\u0442\u0438\u043d", "\u4e60\u8fd1\u5e73", "'})", "DETACH", "DELETE", "//"]

fragments = st.sampled_from(SPACES + ODD + QUOTE_CHARS + DASH_CHARS + WORDS)
news_like = st.lists(fragments | st.text(max_size=4), max_size=60).map("".join)
any_text = st.text(max_size=200)
texts = news_like | any_text


def article(text: str) -> Article:
    """An Article as it reaches cleaning; built directly, so that text the reader would
    reject (NUL, whitespace only) is cleaned too: clean must not depend on the reader."""
    return Article(id="doc", source="doc", title="doc", text=text, content_hash="")


def cleaned(text: str) -> CleanArticle:
    return clean(article(text), RULES)


@FAST
@given(texts)
@example("ab\ncd")
@example("a\r\n\r\n  b\u2028c\x85d")
@example("\u201cQuote\u201d \u2014 said O\u2019Brien.\n\nRead also: more")
def test_clean_maps_every_character_back_to_the_same_character(text: str) -> None:
    result = cleaned(text)
    previous = 0
    for i, char in enumerate(result.text):
        j = result.offsets.to_original(i)
        assert 0 <= j < len(text), (i, j)
        assert j >= previous, "offsets go backwards"
        previous = j
        if not char.isspace():
            assert text[j].translate(QUOTES) == char, (i, j)


@FAST
@given(texts)
def test_clean_keeps_words_whole_and_spans_inside_the_original(text: str) -> None:
    result = cleaned(text)
    for word in re.finditer(r"\S+", result.text):
        start, end = result.offsets.span_to_original(word.start(), word.end())
        assert text[start:end].translate(QUOTES) == word.group()
    n = len(result.text)
    for start, end in [(0, n), (0, 0), (n, n), (n // 3, n // 2), (n // 2, n)]:
        o_start, o_end = result.offsets.span_to_original(start, end)
        assert 0 <= o_start <= o_end <= len(text), (start, end, o_start, o_end)
        assert (o_end > o_start) == (end > start)


@FAST
@given(texts)
def test_clean_text_is_single_spaced_paragraphs_with_straight_quotes(text: str) -> None:
    out = cleaned(text).text
    if not out:
        return
    assert out == out.strip()
    assert not set(out) & set("\u2018\u2019\u201a\u201c\u201d\u201e")
    # The only whitespace left: single spaces inside a line, one blank line between lines.
    for paragraph in out.split("\n\n"):
        assert paragraph and paragraph == paragraph.strip()
        assert "  " not in paragraph
        assert all(c == " " or not c.isspace() for c in paragraph)


@FAST
@given(texts)
@example("follow\tus on Twitter\nXi Jinping met Lee Jae Myung.")
@example("Read\u00a0also: South Korea triples AI spending\nLee visited Beijing.")
@example("\u201cSponsored\u201d\nLee visited Beijing.")
def test_cleaning_clean_text_changes_nothing(text: str) -> None:
    once = cleaned(text)
    if not once.text:
        return
    twice = cleaned(once.text)
    assert twice.text == once.text
    assert twice.dropped_lines == ()


names = st.lists(fragments | st.text(max_size=4), max_size=12).map("".join) | any_text


@FAST
@given(names)
@example("the the Sejong Institute's'")
@example("Kang Jun\ufe58young")
@example("\u201cThe\u201d Lee\u2019s.")
def test_normalize_name_is_idempotent_and_tidy(name: str) -> None:
    once = normalize_name(name)
    assert normalize_name(once) == once
    assert once == " ".join(once.split())
    assert not once or (once[0] not in "-'\" ,;:!?()[]{}" and once[-1] not in "-'\" ,;:!?()[]{}")
    assert once == once.translate(QUOTES).translate(DASHES)


@FAST
@given(names)
@example("Kang Jun\ufe58young")
@example("Kang Jun\ufe31young")
@example("\u1f88\u0345 \u0390 \u01f0 \u0130")
def test_match_form_and_entity_key_are_stable(name: str) -> None:
    form = match_form(name)
    assert match_form(form) == form
    assert form == " ".join(form.split())
    assert "." not in form and "-" not in form and "_" not in form
    assert not any(unicodedata.combining(c) for c in form)
    key = entity_key("Person", name)
    assert key == entity_key("Person", form)
    assert key.startswith("person:") and not any(c.isspace() for c in key)


@FAST
@given(names, st.sampled_from(["-", "\u2010", "\u2013", "\u2014", "\ufe58", "_", " ", ".  "]))
def test_match_form_ignores_how_a_name_is_hyphenated_or_dotted(name: str, joiner: str) -> None:
    words = name.split()
    assert match_form(joiner.join(words)) == match_form(" ".join(words).replace(".", ""))
