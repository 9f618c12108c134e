import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flows.clean import clean
from flows.errors import RejectedDocument
from flows.model import Rejection
from flows.names import QUOTES
from flows.read import discover, read_all, read_file

from .conftest import SEEDS


def test_seed_article_has_stable_id_title_and_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SEEDS.parent)
    path = SEEDS / "000_bfbc84f6cc0ee720.txt"
    first, again = read_file(path, 5_000_000), read_file(path, 5_000_000)
    assert first == again
    assert first.id == "seeds/000_bfbc84f6cc0ee720.txt"
    assert first.title.startswith("Chinese President Xi Jinping will host")
    assert len(first.content_hash) == 64


def test_discover_lists_text_files_in_order_and_names_the_rest(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("b")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("c")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text("d")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    found = list(discover([tmp_path]))
    assert [p.name for p in found if isinstance(p, Path)] == ["a.txt", "b.md", "c.txt"]
    # A file of another type in a folder is named and counted as when it is given directly.
    in_folder = [str(r) for r in found if not isinstance(r, Path)]
    given = [str(r) for r in discover([tmp_path / "image.png"])]
    assert (
        in_folder
        == given
        == [f"{tmp_path / 'image.png'}: unsupported file type '.png'; expected .txt, .md or .jsonl"]
    )


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty or whitespace-only"),
        (b"  \n\t\n ", "empty or whitespace-only"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary file"),
        (b"caf\xe9 au lait", "not valid UTF-8 (byte 0xe9 at offset 3)"),
    ],
)
def test_bad_files_are_rejected_with_a_reason(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(RejectedDocument) as caught:
        read_file(path, 5_000_000)
    assert reason in str(caught.value)
    assert "bad.txt" in str(caught.value)


def test_file_over_the_size_limit_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 100)
    with pytest.raises(RejectedDocument, match="over the 100-byte limit"):
        read_file(path, 100)


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "Seoul and Tokyo".encode("utf-16-le"))
    assert read_file(path, 5_000_000).text == "Seoul and Tokyo"


def test_read_all_goes_on_after_bad_paths(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Good text about Seoul.")
    (tmp_path / "empty.txt").write_text("")
    items = list(read_all([tmp_path / "missing", tmp_path / "photo.jpg", tmp_path], 5_000_000))
    rejections = [str(i) for i in items if isinstance(i, Rejection)]
    assert any("missing: no such file or directory" in r for r in rejections)
    assert any("empty.txt: empty" in r for r in rejections)
    assert [i.text for i in items if not isinstance(i, Rejection)] == ["Good text about Seoul."]


def test_clean_drops_cross_links_and_maps_offsets_back(ontology) -> None:
    article = read_file(SEEDS / "001_dfced0b2e5d50451.txt", 5_000_000)
    cleaned = clean(article, ontology.drop_lines)
    assert "Read Also" not in cleaned.text
    assert "Qatar" not in cleaned.text
    assert cleaned.dropped_lines == (
        "Read Also: South Korea Triples AI Spending; Qatar Launches MAI Platform",
    )
    start = cleaned.text.index("Kang Jun young")
    o_start, o_end = cleaned.offsets.span_to_original(start, start + len("Kang Jun young"))
    assert article.text[o_start:o_end] == "Kang Jun young"
    quote = cleaned.text.index("South Korea's")
    o_start, o_end = cleaned.offsets.span_to_original(quote, quote + len("South Korea's"))
    assert article.text[o_start:o_end] == "South Korea\u2019s"


def _article(text: str):
    from flows.read import make_article

    return make_article("doc", "doc", text)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300).filter(lambda t: t.strip()))
def test_clean_never_raises_and_offsets_point_into_the_original(text: str) -> None:
    from flows.ontology import load_ontology
    from flows.settings import REPO_ROOT

    rules = load_ontology(REPO_ROOT / "schema").drop_lines
    article = _article(text)
    cleaned = clean(article, rules)
    for i, char in enumerate(cleaned.text):
        j = cleaned.offsets.to_original(i)
        assert 0 <= j < len(text)
        if not char.isspace():
            assert text[j].translate(QUOTES) == char
    again = clean(_article(cleaned.text), rules) if cleaned.text.strip() else cleaned
    assert again.text == cleaned.text


def test_jsonl_lines_become_articles_and_bad_lines_are_named(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        '{"id": "bbc-1", "title": "Ad sales boost Time Warner profit", "text": "Quarterly '
        'profits at US media giant TimeWarner jumped.", "url": "https://news.example/1", '
        '"published": "2004-12-01"}',
        "",
        "{not json",
        '{"id": "no-text"}',
        '{"id": "blank", "text": "   "}',
        '["a", "list"]',
        '{"id": "bbc-2", "text": "Dollar gains on Greenspan speech."}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_all([path], 5_000_000))
    articles = [i for i in items if not isinstance(i, Rejection)]
    assert [a.id for a in articles] == ["bbc-1", "bbc-2"]
    first = articles[0]
    assert first.title == "Ad sales boost Time Warner profit"
    assert (first.url, first.published_at) == ("https://news.example/1", "2004-12-01")
    assert articles[1].title == "Dollar gains on Greenspan speech."
    name = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    assert [str(r) for r in items if isinstance(r, Rejection)] == [
        f"{name}:3: not valid JSON (Expecting property name enclosed in double quotes)",
        f"{name}:4: missing or non-string text",
        f"{name}:5: empty or whitespace-only text",
        f"{name}:6: expected a JSON object",
    ]


def test_bbc_corpus_reads_as_2225_articles() -> None:
    from .conftest import SHARED

    items = list(read_all([SHARED / "data" / "bbc" / "articles.jsonl"], 5_000_000))
    assert len(items) == 2225
    assert not [i for i in items if isinstance(i, Rejection)]
    assert items[0].id == "business-001" and items[0].title == "Ad sales boost Time Warner profit"
