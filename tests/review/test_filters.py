"""The review section's list filters (review.filters and the assignment page's ArticleListFilter):
bad values give a form error, never a 500."""

from django.urls import reverse

from annotations import services as annotation_services
from tests.factories import ArticleFactory, make_quote

from .conftest import submit


def test_mine_filters_by_outcome_and_refuses_an_unknown_one(client, annotator_user, editor_user):
    rejected = submit(make_quote(annotator_user=annotator_user))
    annotation_services.quote_reject(quote=rejected, reviewer=editor_user, reason="No speaker.")
    accepted = submit(make_quote(annotator_user=annotator_user))
    annotation_services.quote_accept(quote=accepted, reviewer=editor_user)
    client.force_login(annotator_user)
    url = reverse("review:mine")
    assert {q.pk for q in client.get(url).context["page"]} == {rejected.pk, accepted.pk}
    assert [q.pk for q in client.get(url, {"status": "rejected"}).context["page"]] == [rejected.pk]
    assert [q.pk for q in client.get(url, {"status": "accepted"}).context["page"]] == [accepted.pk]
    for bad in ("zzz", "draft", "submitted"):
        response = client.get(url, {"status": bad})
        assert response.status_code == 200 and "status" in response.context["form"].errors
        assert list(response.context["page"]) == []
        assert "Some filters were not understood" in response.content.decode()


def test_assignment_page_finds_articles_through_the_article_filter(client, editor_user):
    wanted = ArticleFactory(title="Harbour dredging approved")
    ArticleFactory(title="Budget vote delayed")
    client.force_login(editor_user)
    response = client.get(reverse("review:assignments"), {"q": "dredging"})
    assert [a.pk for a, _ in response.context["rows"]] == [wanted.pk]
    response = client.get(reverse("review:assignments"), {"q": "dredging", "from": "2020-02-31"})
    assert response.status_code == 200 and "published_from" in response.context["filter_form"].errors
    assert response.context["rows"] == []
    assert "Some filters were not understood" in response.content.decode()
