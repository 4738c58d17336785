import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, make_mention, make_quote

pytestmark = pytest.mark.django_db

BODY = "“We will act,” Jane Doe said. “Soon,” she added. Jane Doe left. Jane Doe waved."


def test_article_list_counts_quotes_and_mentions_without_multiplying_joins(
    client_for, admin_user, annotator_user, django_assert_max_num_queries
):
    article = ArticleFactory(title="Counted", body=BODY)
    make_quote(article=article, text="We will act,", annotator_user=annotator_user)
    make_quote(article=article, text="Soon,", annotator_user=annotator_user)
    for text in ("Jane Doe", "she", "waved"):
        make_mention(article=article, text=text, annotator_user=annotator_user)
    ArticleFactory(title="Empty")
    client = client_for(admin_user)
    with django_assert_max_num_queries(12) as ctx:
        response = client.get(reverse("admin:corpus_article_changelist"))
    rows = {a.title: (a._quotes, a._mentions) for a in response.context["cl"].result_list}
    assert rows == {"Counted": (2, 3), "Empty": (0, 0)}
    counting = [q["sql"].upper() for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counting and not any("COUNT(DISTINCT" in sql for sql in counting)  # subqueries, not stacked joins


def test_article_absolute_url_is_its_research_page(client_for, researcher_user):
    article = ArticleFactory()
    assert article.get_absolute_url() == reverse("research:article", args=[article.pk])
    assert not article.get_absolute_url().startswith("/admin/")
    assert client_for(researcher_user).get(article.get_absolute_url()).status_code == 200
