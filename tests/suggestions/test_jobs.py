import pytest
from django.urls import reverse

from jobs.models import Job
from suggestions.models import Suggestion
from tests import factories
from tests.jobs.support import run_queued

pytestmark = pytest.mark.django_db

BODY = 'The mayor said: "We will open the new bridge in May." Critics disagreed.'


@pytest.fixture
def articles():
    return [factories.ArticleFactory(title=f"Bridge story {i}", body=BODY) for i in range(3)] + [
        factories.ArticleFactory(title="Unrelated", body=BODY)
    ]


def test_suggest_for_the_filtered_set_is_idempotent(client_for, editor_user, articles):
    client = client_for(editor_user)
    html = client.get(reverse("suggestions:index") + "?q=Bridge").content.decode()
    assert "Suggest quotes for these articles" in html and 'form="suggest-many"' in html
    response = client.post(reverse("suggestions:suggest_many"), {"q": "Bridge"})
    job = Job.objects.get(kind="suggest_articles")
    assert response.url == reverse("jobs:detail", args=[job.pk])
    (ran,) = run_queued()
    assert ran.status == Job.Status.SUCCEEDED and ran.result["articles"] == 3 and ran.result["suggestions"] >= 3
    assert (ran.progress_done, ran.progress_total) == (3, 3)
    first = sorted(Suggestion.objects.values_list("article_id", "kind", "spans"))
    assert {a for a, _, _ in first} == {a.pk for a in articles[:3]}
    client.post(reverse("suggestions:suggest_many"), {"q": "Bridge"})
    run_queued()
    assert sorted(Suggestion.objects.values_list("article_id", "kind", "spans")) == first  # again: the same


def test_suggest_for_chosen_articles(client_for, editor_user, articles):
    client_for(editor_user).post(reverse("suggestions:suggest_many"), {"article": [articles[3].pk], "q": "Bridge"})
    (ran,) = run_queued()
    assert ran.result["articles"] == 1
    assert set(Suggestion.objects.values_list("article_id", flat=True)) == {articles[3].pk}


@pytest.mark.parametrize(("who", "status"), [("annotator", 403), ("researcher", 403), ("editor", 302)])
def test_only_editors_start_it(role_users, client_for, who, status, articles):
    assert client_for(role_users[who]).post(reverse("suggestions:suggest_many"), {"q": ""}).status_code == status
    assert Job.objects.count() == (1 if who == "editor" else 0)
    html = client_for(role_users[who]).get(reverse("suggestions:index")).content.decode()
    assert ("Suggest quotes for these articles" in html) == (who == "editor")
