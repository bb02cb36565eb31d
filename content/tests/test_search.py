"""Search as a worried person uses it: ranked by meaning, forgiving of typos and word forms,
strict with abbreviations, helpful around the results, and safe with any input. Runs on
whichever database the suite uses (SQLite, or PostgreSQL under DATABASE_URL)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from content.models import Condition, Remedy, Status
from content.search import search
from content.tests.helpers import make_condition

pytestmark = pytest.mark.django_db
RESULT = re.compile(r'data-search-result="([^"]+)"')


def _page(client: Client, query: str, **params: str) -> str:
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def _results(client: Client, query: str) -> list[str]:
    return RESULT.findall(_page(client, query))


def _before(html: str, first: str, then: str) -> bool:
    return 0 <= html.find(first) < html.find(then)


def test_an_exact_other_name_beats_title_words_beats_summary_beats_body(client: Client) -> None:
    make_condition("in-body", name="Aardvark", causes="It follows a quokka bite.")
    make_condition("in-summary", name="Bandicoot", summary="Caught from a quokka.")
    make_condition("in-title", name="Quokka fever")
    make_condition("other-name", name="Wallaby palsy", other_names="Quokka")
    assert _results(client, "quokka") == ["other-name", "in-title", "in-summary", "in-body"]


def test_a_common_search_phrase_ranks_its_page_first(client: Client) -> None:
    make_condition("phrase-page", name="Numbat syndrome", search_phrases="wobbly knees\n")
    make_condition("word-page", name="Wobbly knees and elbows")
    assert _results(client, "wobbly knees")[:2] == ["phrase-page", "word-page"]


def test_word_forms_match(client: Client) -> None:
    make_condition("forms", name="Platypus", symptoms="One knee wobbles.")
    assert _results(client, "wobbling knees")[0] == "forms"


def test_typos_in_longer_words_are_forgiven_and_said(client: Client) -> None:
    make_condition("typo", name="Quokka fever")
    assert _results(client, "qoukka")[0] == "typo"  # two letters swapped
    assert _results(client, "quokkka fevr")[0] == "typo"  # one letter too many, one missing
    assert "Showing results for <strong>quokka fever</strong>" in _page(client, "quokkka fevr")


def test_abbreviations_match_whole_words_only(client: Client) -> None:
    make_condition("salts", name="Bath", treatment="Soak in Epsom salts.")
    found = _results(client, "ALS")
    assert found[0] == "motor-neurone-disease"
    assert "salts" not in found
    assert "benign-fasciculations" in _results(client, "BFS")


def test_a_question_finds_its_subject(client: Client) -> None:
    assert _results(client, "is it MND?")[0] == "motor-neurone-disease"
    assert _results(client, "what is a charley horse")[0] == "leg-cramps"


def test_each_result_shows_why_it_matched(client: Client) -> None:
    html = _page(client, "Lou Gehrig's")
    assert "Also called: <mark>Lou</mark> <mark>Gehrig&#x27;s</mark>" in html
    body_only = make_condition("deep", name="Aardvark", causes="Worse after eating a kumquat.")
    assert body_only
    html = _page(client, "kumquat")
    assert "On the page: Worse after eating a <mark>kumquat</mark>." in html


def test_emergency_words_put_the_999_card_first(client: Client) -> None:
    for query in ["chest pain", "I can't breathe", "numb bottom", "leg cold and pale"]:
        html = _page(client, query)
        assert _before(html, "care-card--emergency", 'role="status"'), query
        assert "Call 999" in html
    assert "care-card--emergency" not in _page(client, "leg cramp")


def test_a_query_naming_symptoms_offers_the_checker_near_the_top(client: Client) -> None:
    html = _page(client, "calf twitching")
    assert _before(html, "Check your symptoms</a>", 'data-search-result="')
    assert "Check your symptoms</a>:" not in _page(client, "parkinsons")


def test_no_results_offer_did_you_mean_the_a_to_z_and_the_checker(client: Client) -> None:
    html = _page(client, "twitchinggggg")
    assert "Nothing found" in html
    assert 'Did you mean <a href="?q=twitching">twitching</a>?' in html
    assert 'href="/conditions/"' in html and 'href="/check/"' in html
    assert "Did you mean" not in _page(client, "qqxyzzy")


def test_self_care_and_tests_are_searched_too(client: Client) -> None:
    html = _page(client, "stretch")
    assert 'data-search-result="stretch-the-muscle"' in html
    assert 'href="/self-care/#stretch-the-muscle"' in html
    assert _results(client, "EMG")[0] == "emg"
    assert 'href="/tests-a-doctor-may-do/#emg"' in _page(client, "EMG")


def test_results_are_in_rank_order_on_every_page(client: Client) -> None:
    for i in range(25):
        make_condition(f"many-{i:02d}", name=f"Manything {i:02d}", summary="Manything.")
    first, second = (
        _results(client, "manything"),
        RESULT.findall(_page(client, "manything", page="2")),
    )
    ranked = [d.slug for d in search("manything").matches]
    assert first + second == ranked and len(ranked) == 25


def test_a_long_query_is_cut_with_a_notice(client: Client) -> None:
    html = _page(client, "cramp " * 30)
    assert "Your search was cut to its first 100 characters." in html
    assert 'data-search-result="leg-cramps"' in html
    assert "cut to its first" not in _page(client, "cramp")


@pytest.mark.parametrize(
    ("query", "finds_cramps"),
    [("cramp & | ! : * ( )", True), ("cramp:*", True), ("!cramp", True), ("(cramp", True),
     ("cramp\x00night", True), ("cramp' OR 1=1 --", True), ("\u202ecramp\u202c", True),
     ("crámp", True), ("ＣＲＡＭＰ", True), ("cramp 😀", True), ("& | !", False), ("***", False),
     ("\x00", False)],
)  # fmt: skip
def test_operators_and_odd_characters_never_reach_the_engine(
    client: Client, query: str, finds_cramps: bool
) -> None:
    html = _page(client, query)
    if finds_cramps:
        assert "leg-cramps" in RESULT.findall(html)[:3], query
    else:
        assert RESULT.findall(html) == [], query


def test_the_index_follows_every_edit(client: Client) -> None:
    condition = make_condition("edited", name="Aardvark")
    assert "edited" not in _results(client, "wombat")
    condition.search_phrases = "wombat knees"
    condition.save()
    assert _results(client, "wombat knees")[0] == "edited"
    assert condition.history.first().search_phrases == "wombat knees"
    condition.status = Status.DRAFT
    condition.save()
    assert "edited" not in _results(client, "wombat knees")
    remedy = Remedy.objects.get(slug="massage")
    remedy.name = "Rub the wombat"
    remedy.save()
    assert _results(client, "wombat")[0] == "massage"
    remedy.delete()
    assert "massage" not in _results(client, "wombat")


def test_a_red_flag_or_typical_symptom_added_in_the_admin_is_searchable(client: Client) -> None:
    condition = Condition.objects.get(slug="sciatica")
    condition.red_flags.create(slug="x", text="Sudden wombat feet", urgency="urgent")
    assert "sciatica" in _results(client, "wombat")


def test_words_are_stemmed_alike_in_every_thread() -> None:
    """gthread workers search in several threads at once: no word may be garbled."""
    import sys
    from concurrent.futures import ThreadPoolExecutor

    import snowballstemmer

    from content.search import words

    roots = ("twitch", "cramp", "running", "nervous", "jump", "swell", "fasciculation",
             "generalisation", "hopefulness")  # fmt: skip
    sample = [f"{root}{end}" for root in roots for end in ("", "es", "ed", "ly")]
    reference = snowballstemmer.stemmer("english")
    expected = [str(reference.stemWord(w)) for w in sample * 50]
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to make any clash show
    try:
        for _ in range(3):
            words.stem.cache_clear()
            with ThreadPoolExecutor(max_workers=8) as pool:
                stems = list(pool.map(words.stem.__wrapped__, sample * 50))
            assert stems == expected
    finally:
        sys.setswitchinterval(switch)
