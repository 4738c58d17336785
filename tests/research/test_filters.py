"""The research list pages' filters (research.filters): bad values give a form error, never a 500;
one outlet rule and one speaker search."""

import pytest
from django.urls import reverse

from corpus.services import speaker_create
from research.filters import ArticleSearchFilter, SpeakerListFilter
from research.selectors import article_search, speaker_list
from tests import factories


@pytest.fixture
def rclient(client_for, researcher_user):
    return client_for(researcher_user)


def test_article_search_outlet_is_the_one_outlet_rule(corpus, rclient):
    # Ignoring case beyond ASCII too (SQLite's iexact folds ASCII only): the quote filter's OutletFilter.
    factories.ArticleFactory(title="Ünal's column", outlet="Öffentliche Zeitung")
    found = article_search({"outlet": "öffentliche zeitung"}).qs
    assert [a.title for a in found] == ["Ünal's column"]
    assert {a.title for a in article_search({"outlet": " daily planet "}).qs} == {
        corpus.border.title,
        corpus.governor.title,
    }
    assert not article_search({"outlet": "Daily"}).qs.exists()  # equal, not contained


def test_article_search_words_and_counts(corpus, rclient):
    article_filter = article_search({"q": "acting gov"})
    assert article_filter.form.is_valid()
    ((article, count),) = [(a, a.accepted_quotes) for a in article_filter.qs]
    assert article == corpus.governor and count == corpus.governor.quotes.filter(layer="curated").count()
    assert isinstance(article_filter, ArticleSearchFilter)


def test_article_page_with_odd_values_answers(corpus, rclient):
    response = rclient.get(reverse("research:articles"), {"q": "%%% ()", "outlet": "=x", "page": "zz"})
    assert response.status_code == 200 and response.context["page"].paginator.count == 0


def test_speaker_list_bad_kind_is_a_form_error(corpus, rclient):
    response = rclient.get(reverse("research:speakers"), {"kind": "zzz"})
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors and response.context["page"].paginator.count == 0
    assert "Some filters were not understood" in response.content.decode()
    response = rclient.get(reverse("research:speakers"), {"kind": "organization"})
    assert [s.name for s in response.context["page"]] == ["Civic League"]


def test_speaker_list_search_is_the_one_speaker_search(corpus, rclient):
    trump = speaker_create(name="Donald Trump", aliases=["Mr. Trump"])
    # Through an alias, each speaker once, as Speaker.objects.search_words (the API's and the quote filter's).
    for query in ("mr trump", "don", "trum"):
        names = [s.name for s in speaker_list({"q": query}).qs]
        assert names == ["Donald Trump"], query
        assert list(speaker_list({"q": query}).qs.values_list("pk", flat=True)) == list(
            type(trump).objects.search_words(query).values_list("pk", flat=True)
        )
    assert not speaker_list({"q": "rump"}).qs.exists()  # a word start, not a substring
    assert isinstance(speaker_list({}), SpeakerListFilter)


@pytest.mark.parametrize("target", ["abc", "999999", "-1"])
def test_stance_page_bad_target_is_a_form_error(corpus, rclient, target):
    response = rclient.get(reverse("research:stances"), {"target": target})
    assert response.status_code == 200
    assert "target" in response.context["form"].errors and response.context["target"] is None
    assert "Some filters were not understood" in response.content.decode()


def test_stance_page_reads_the_chosen_target(corpus, rclient):
    response = rclient.get(reverse("research:stances"), {"target": str(corpus.wall.pk)})
    assert response.context["target"] == corpus.wall and not response.context["form"].errors
    assert response.context["group"] == "speaker"
