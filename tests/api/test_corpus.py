"""Articles, speakers with aliases, export links and agreement: what the pages show, as JSON."""

import pytest

from tests import factories
from tests.api.conftest import API, assert_problem, curated_quote

pytestmark = pytest.mark.django_db


def test_article_list_filters_and_detail_body(bearer, token_for, annotator_user):
    kept = factories.ArticleFactory(title="Budget vote", outlet="The Daily Test", tags=["politics"])
    factories.ArticleFactory(title="Weather", outlet="Elsewhere")
    caller = bearer(token_for(annotator_user))
    body = caller.get(API + "articles?outlet=the+daily+test&tag=Politics").json()
    assert [a["id"] for a in body["results"]] == [kept.pk]
    assert "body" not in body["results"][0] and body["results"][0]["tags"] == ["politics"]
    detail = caller.get(API + f"articles/{kept.pk}").json()
    assert detail["body"] == kept.body and detail["body_hash"] == kept.body_hash
    assert "published_from" in assert_problem(caller.get(API + "articles?published_from=2020-13-01"), 422)["errors"]


def test_speakers_with_aliases_and_filters(bearer, token_for, researcher_user):
    jane = factories.SpeakerFactory(name="Jane Doe")
    jane.aliases.create(alias="Ms. Doe")
    factories.SpeakerFactory(name="Civic League", kind="organization")
    caller = bearer(token_for(researcher_user))
    body = caller.get(API + "speakers?q=jane&kind=person").json()
    assert [s["id"] for s in body["results"]] == [jane.pk]
    assert "Ms. Doe" in [a["alias"] for a in body["results"][0]["aliases"]]
    assert caller.get(API + "speakers?kind=organization").json()["count"] == 1
    assert "kind" in assert_problem(caller.get(API + "speakers?kind=alien"), 422)["errors"]
    assert caller.get(API + f"speakers/{jane.pk}").json()["name"] == "Jane Doe"


def test_a_speaker_shows_its_proposed_item_apart_from_the_confirmed_one(bearer, token_for, researcher_user):
    from corpus import services as corpus_services

    annotator = factories.UserFactory(roles=["annotator"])
    proposed = corpus_services.speaker_create(name="Maria Scott", wikidata_pick="Q9000001", actor=annotator)
    linked = corpus_services.speaker_create(name="Donald Trump", wikidata_qid="Q22686")
    caller = bearer(token_for(researcher_user))
    one = caller.get(API + f"speakers/{proposed.pk}").json()
    assert (one["wikidata_qid"], one["wikidata_qid_proposed"]) == ("", "Q9000001")
    assert one["wikidata_proposed_at"].startswith(str(proposed.wikidata_proposed_at.year))
    assert "wikidata_proposed_by" not in one  # who proposed it is the editors' business
    other = caller.get(API + f"speakers/{linked.pk}").json()
    assert (other["wikidata_qid"], other["wikidata_qid_proposed"], other["wikidata_proposed_at"]) == (
        "Q22686",
        "",
        None,
    )
    listed = {s["name"]: s["wikidata_qid_proposed"] for s in caller.get(API + "speakers").json()["results"]}
    assert listed == {"Maria Scott": "Q9000001", "Donald Trump": ""}


def test_export_links_carry_the_filters(bearer, token_for, researcher_user):
    body = bearer(token_for(researcher_user)).get(API + "exports?outlet=The+Daily+Test&speaker_kind=&limit=5").json()
    assert body["query"] == "outlet=The+Daily+Test"
    urls = {link["slug"]: link["url"] for link in body["results"]}
    assert urls["quotes"].endswith("/exports/quotes.csv?outlet=The+Daily+Test")
    assert urls["corpus"].endswith("/exports/corpus.jsonl")


def test_agreement_rows_come_from_the_review_figures(bearer, token_for, editor_user, annotator_user, other_annotator):
    article = factories.ArticleFactory()
    curated_quote(editor=editor_user, annotator_user=annotator_user, article=article)
    curated_quote(editor=editor_user, annotator_user=other_annotator, article=article)
    caller = bearer(token_for(editor_user))
    body = caller.get(API + "agreement").json()
    assert body["articles"] == 1
    exact = [r for r in body["rows"] if r["scope"] == "corpus" and r["measure"] == "quote_f1_exact"]
    assert exact and exact[0]["value"] == 1.0
    article_body = caller.get(API + f"agreement/articles/{article.pk}").json()
    assert article_body["articles"] == 1 and all(r["article_id"] == article.pk for r in article_body["rows"])


def test_speaker_search_matches_aliases_too(bearer, token_for, researcher_user):
    doe = factories.SpeakerFactory(name="Jane Doe")
    doe.aliases.create(alias="Mayor Doe")
    potus = factories.SpeakerFactory(name="Donald Trump")
    potus.aliases.create(alias="President Trump")
    potus.aliases.create(alias="Mr. Trump")  # two aliases match "trump": the speaker once
    factories.SpeakerFactory(name="Mayoral Office", kind="organization")
    caller = bearer(token_for(researcher_user))

    def found(q):
        return sorted(s["name"] for s in caller.get(API + "speakers?q=" + q).json()["results"])

    assert found("mayor") == ["Jane Doe", "Mayoral Office"]  # an alias word, and a name word
    assert found("mayor+doe") == ["Jane Doe"]
    assert found("president") == ["Donald Trump"]
    assert found("trump") == ["Donald Trump"]
    assert caller.get(API + "speakers?q=trump").json()["count"] == 1
    assert found("mayor+trump") == []  # every word in the name, or every word in one alias
    assert found("oe") == []  # word prefixes, as the research pages' search


@pytest.mark.parametrize("speakers", [2, 40])
def test_speaker_search_runs_a_bounded_number_of_queries(
    bearer, token_for, researcher_user, speakers, django_assert_max_num_queries
):
    for i in range(speakers):
        speaker = factories.SpeakerFactory(name=f"Person {i}")
        speaker.aliases.create(alias=f"Councillor Number{i}")
        speaker.aliases.create(alias=f"Councillor Other{i}")
    caller = bearer(token_for(researcher_user))
    with django_assert_max_num_queries(8):
        body = caller.get(API + "speakers?q=councillor&limit=100").json()
    assert body["count"] == speakers and len(body["results"]) == speakers
