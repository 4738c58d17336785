import pytest

from annotations import selectors
from annotations.models import Status
from corpus import services as corpus_services
from tests.factories import ArticleFactory, make_mention, make_quote

pytestmark = pytest.mark.django_db


def test_annotator_articles_put_assigned_then_started_first_with_my_counts(annotator_user, other_annotator):
    newest = ArticleFactory(title="Newest", published="2024-01-01")
    started = ArticleFactory(title="Started", published="2020-01-01")
    assigned = ArticleFactory(title="Assigned", published="2019-01-01")
    make_quote(article=started, annotator_user=annotator_user)
    make_quote(article=newest, annotator_user=other_annotator)
    rows = list(selectors.annotator_articles(annotator_user, assigned_ids=[assigned.pk]))
    assert [a.title for a in rows] == ["Assigned", "Started", "Newest"]
    mine = {a.title: (a.my_quotes, a.my_quote_drafts) for a in rows}
    assert mine == {"Assigned": (0, 0), "Started": (1, 1), "Newest": (0, 0)}


def test_workspace_state_in_five_queries_mine_or_accepted(annotator_user, django_assert_max_num_queries):
    article = ArticleFactory()
    quote = make_quote(article=article, annotator_user=annotator_user)
    make_mention(article=article, annotator_user=annotator_user)
    with django_assert_max_num_queries(5):
        state = selectors.workspace_state(article, annotator_user, "nonsense")
    assert state["view"] == selectors.VIEW_MINE and [q["id"] for q in state["quotes"]] == [quote.pk]
    assert len(state["mentions"]) == 1
    accepted = selectors.workspace_state(article, annotator_user, selectors.VIEW_ACCEPTED)
    assert accepted["quotes"] == [] and accepted["mentions"] == []
    assert quote.status == Status.DRAFT


def test_speaker_search_reports_the_alias_that_matched():
    corpus_services.speaker_create(name="Donald Trump", aliases=["Mr. Trump"])
    (hit,) = selectors.speaker_search("mr. tru")
    assert hit["name"] == "Donald Trump" and hit["matched_alias"] == "Mr. Trump" and hit["aliases"] == ["Mr. Trump"]
    assert selectors.speaker_search("  ") == []
