"""CappedPaginator: the count is exact up to the cap and bounded work past it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Quote
from annotations.pagination import CappedPaginator
from tests.factories import ArticleFactory, annotator, make_quote

pytestmark = pytest.mark.django_db

BODY = "One said “alpha”. Two said “bravo”. Three said “charlie”. Four said “delta”. Five said “echo”."
WORDS = ("alpha", "bravo", "charlie", "delta", "echo")


@pytest.fixture
def five_quotes():
    article = ArticleFactory(body=BODY)
    user = annotator()
    for word in WORDS:
        make_quote(article=article, text=word, annotator_user=user)
    return Quote.objects.order_by("start")


def test_below_the_cap_the_count_is_exact(five_quotes):
    paginator = CappedPaginator(five_quotes, 2, cap=5)
    assert (paginator.count, paginator.capped, paginator.num_pages) == (5, False, 3)


def test_past_the_cap_it_counts_one_more_row_and_says_so(five_quotes):
    paginator = CappedPaginator(five_quotes, 2, cap=3)
    assert (paginator.count, paginator.capped) == (4, True)
    assert [q.text for q in paginator.page(1).object_list] == ["alpha", "bravo"]


def test_the_count_query_is_limited(five_quotes):
    with CaptureQueriesContext(connection) as queries:
        assert CappedPaginator(five_quotes, 2, cap=3).count == 4
    (count_sql,) = [q["sql"] for q in queries.captured_queries]
    assert "COUNT" in count_sql.upper() and "LIMIT 4" in count_sql.upper()
