import pytest

from flows.names import entity_key, match_form, normalize_name, without_legal_form, without_title


@pytest.mark.parametrize(
    ("written", "normalized"),
    [
        ("South Korea\u2019s", "South Korea"),
        ("South Korea's", "South Korea"),
        ("South Korea-", "South Korea"),
        ("South Korea\u2014", "South Korea"),
        ("the Sejong Institute", "Sejong Institute"),
        ("The Sejong Institute", "Sejong Institute"),
        ("SM Entertainment's", "SM Entertainment"),
        ("Lee\u2019s", "Lee"),
        ("Jones'", "Jones"),
        ("U.S.", "U.S."),
        ("Reuters.", "Reuters"),
        ("  Xi   Jinping ", "Xi Jinping"),
        ('"Nvidia"', "Nvidia"),
        ("the", ""),
        # Scores and figures of sports tables are not part of a name; one digit may be.
        ("Durham 114", "Durham"),
        ("A. Dale 69", "A. Dale"),
        ("I. Austin 4-37", "I. Austin"),
        ("Law 2-0-23-0", "Law"),  # a bowler's overs, maidens, runs and wickets
        ("Li Na 6-3 7-6", "Li Na"),  # a tennis result: a run of scores
        ("Radio 1", "Radio 1"),
        ("Channel 4", "Channel 4"),
    ],
)
def test_normalize_name(written: str, normalized: str) -> None:
    assert normalize_name(written) == normalized


def test_normalize_name_is_idempotent() -> None:
    for name in ["the Sejong Institute's", "South Korea\u2019s-", "U.S."]:
        once = normalize_name(name)
        assert normalize_name(once) == once


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kang Jun-young", "Kang Jun young"),
        ("Shin Beom-chul", "shin beom chul"),
        ("U.S.", "US"),
        ("Kang Jun\u2013young", "Kang Jun young"),
        ("Caf\u00e9 Society", "Cafe Society"),
    ],
)
def test_match_form_ignores_case_dots_hyphens_accents(a: str, b: str) -> None:
    assert match_form(a) == match_form(b)


def test_match_form_keeps_different_names_apart() -> None:
    assert match_form("North Korea") != match_form("South Korea")


def test_entity_key_is_typed_and_spelling_stable() -> None:
    assert entity_key("Person", "Kang Jun-young") == "person:kang-jun-young"
    assert entity_key("Person", "Kang Jun young") == entity_key("Person", "Kang Jun-young")
    assert entity_key("Location", "Georgia") != entity_key("Person", "Georgia")


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Mr Greenspan", "Greenspan"),
        ("Ms Lomax", "Lomax"),
        ("Prime Minister Tony Blair", "Tony Blair"),
        ("Dr. Ruth Westheimer", "Ruth Westheimer"),
        ("Dean Smith", "Dean Smith"),  # a first name, not a title
        ("John Major", "John Major"),
        ("President", "President"),  # only a title: nothing to strip it from
    ],
)
def test_titles_are_not_part_of_a_persons_name(written: str, name: str) -> None:
    assert without_title(written) == name


@pytest.mark.parametrize(
    ("written", "base"),
    [
        ("Bank of America Corp", "Bank of America"),
        ("Deutsche Bank AG", "Deutsche Bank"),
        ("Huawei Technologies Co Ltd", "Huawei Technologies"),
        ("Sejong Institute", "Sejong Institute"),
        ("Co", "Co"),
    ],
)
def test_a_company_name_without_its_legal_form(written: str, base: str) -> None:
    assert without_legal_form(written) == base
