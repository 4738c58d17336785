"""corpus.search: one expected result per query, asserted on SQLite and on PostgreSQL alike.

CI runs this file on both backends; the expectations carry no backend switch, so passing on both
proves the two return the same rows.
"""

import pytest
from django.db import connection

from annotations.models import Quote
from corpus.models import Article
from corpus.search import first_match, query_words, search

QUOTE_CASES = [
    # (query, names of the accepted quotes of the `corpus` fixture found in their text)
    ("act", {"act", "actions", "acted"}),  # prefix: act, Actions, acting/acted
    ("acted", {"acted"}),  # no stemming: "acted" does not find "act" or "acting"
    ("ACTION", {"actions"}),  # case-insensitive
    ("wall border", {"act"}),  # every word, any order
    ("border fence", set()),
    ("ecole", set()),  # no accent folding
    ("école", {"ecole"}),
    ("ÉCOLE", {"ecole"}),  # case-insensitive beyond ASCII
    ("été", {"ecole"}),  # the apostrophe in d’été separates words
    ("5", {"aid"}),  # "3.5" is the words 3 and 5
    ("3.5 billion", {"aid"}),
    ("us", set()),  # "U.S." is the words U and S
    ("u s aid", {"aid"}),
    ("miss", {"aid"}),  # hyphen separates
    ("bar", {"aid"}),  # underscore separates
    ("oo", set()),  # inside a word is not a word start
    ("東京", {"tokyo"}),
    ("img onerror", {"evil_quote"}),
    ("wall:* | !act", {"act"}),  # tsquery syntax is read as plain words
    ("' OR 1=1 --", set()),
]


def names(corpus, rows):
    by_pk = {getattr(corpus, name).pk: name for name in vars(corpus) if isinstance(getattr(corpus, name), Quote)}
    return {by_pk[pk] for pk in rows.values_list("pk", flat=True)}


@pytest.mark.parametrize(("query", "expected"), QUOTE_CASES)
def test_quote_text_search_is_the_same_on_every_backend(corpus, query, expected):
    rows = search(Quote.objects.curated(), ["text"], query)
    assert names(corpus, rows) == expected


ARTICLE_CASES = [
    ("border", {"Border plan unveiled"}),
    ("écoles", {"Écoles: la réforme"}),  # title
    ("réforme gratuite", {"Écoles: la réforme"}),  # one word in the title, one in the body
    ("reforme", set()),
    ("civic league", {"Border plan unveiled", "Acting governor speaks"}),
    ("acting", {"Acting governor speaks"}),
    ("act", {"Border plan unveiled", "Acting governor speaks"}),
    ("山田", {"Écoles: la réforme"}),
    ("script alert", {"Acting governor speaks"}),
]


@pytest.mark.parametrize(("query", "expected"), ARTICLE_CASES)
def test_article_search_reads_title_and_body(corpus, query, expected):
    rows = search(Article.objects.all(), ["title", "body"], query)
    assert set(rows.values_list("title", flat=True)) == expected


@pytest.mark.parametrize("query", ["", "   ", "!!! ---", None])
def test_a_query_without_words_filters_nothing(corpus, query):
    assert search(Article.objects.all(), ["title", "body"], query).count() == Article.objects.count()


def test_query_words_split_like_the_text():
    assert query_words("Don't  stop—the U.S. 3.5 foo_bar") == [
        "Don",
        "t",
        "stop",
        "the",
        "U",
        "S",
        "3",
        "5",
        "foo",
        "bar",
    ]
    assert query_words("act ACT Act") == ["act"]  # repeated words count once
    assert len(query_words(" ".join(f"w{i}" for i in range(40)))) == 16
    assert query_words("x" * 100) == ["x" * 64]


def test_first_match_finds_the_earliest_word_start():
    assert first_match("Reacting, they act.", "act") == (15, 18)
    assert first_match("nothing here", "act") is None


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("model", "fields", "index"),
    [
        (Quote, ["text"], "research_quote_words_gin"),
        (Article, ["title", "body"], "research_article_words_gin"),
    ],
)
def test_postgres_answers_searches_from_the_gin_index(corpus, model, fields, index):
    query = search(model.objects.all(), fields, "border wall")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        # A tiny table is cheaper to scan; forbid scans that do not use an index condition.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert index in plan, plan
