"""QuoteFilter: one test per filter, on the small corpus of tests/research/conftest.py."""

import pytest
from django.db import transaction
from django.http import QueryDict

from annotations.filters import QuoteFilter
from annotations.models import Quote
from tests.research.conftest import build_corpus

# Each test runs in its own savepoint inside the module's transaction (pytest-django nests it).
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The research corpus, built once for the module: these tests only read it. It is rolled back with
    the module's transaction; building it per test (through the services) was most of their time."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_corpus()
        transaction.set_rollback(True)


ACCEPTED = {"act", "actions", "fail", "nous", "ecole", "tokyo", "acted", "aid", "evil_quote"}


def found(corpus, data, **kwargs):
    """Names of the fixture's quotes the filter finds; an annotator's accepted quote is named after the
    curated quote it supports (the fixture names the curated ones)."""
    by_pk = {getattr(corpus, n).pk: n for n in vars(corpus) if isinstance(getattr(corpus, n), Quote)}
    for supporter_pk, curated_pk in Quote.objects.filter(curated_id__in=list(by_pk)).values_list("pk", "curated_id"):
        by_pk[supporter_pk] = by_pk[curated_pk]
    qs = QuoteFilter(QueryDict(data), **kwargs).qs
    return [by_pk[pk] for pk in qs.values_list("pk", flat=True)]


def test_status_defaults_to_accepted(corpus):
    assert set(found(corpus, "")) == ACCEPTED


def test_status_default_is_the_callers(corpus):
    assert found(corpus, "", default_status="submitted", layer="annotation") == ["submitted"]


def test_status_choice_and_all(corpus):
    assert found(corpus, "status=rejected", layer="annotation") == ["rejected"]
    assert found(corpus, "status=draft", layer="annotation") == ["draft"]
    assert set(found(corpus, "status=all", layer="annotation")) == ACCEPTED | {"draft", "submitted", "rejected"}


def test_the_curated_layer_is_the_default_and_holds_accepted_quotes_only(corpus):
    assert set(found(corpus, "status=all")) == ACCEPTED
    assert found(corpus, "status=draft") == []


def test_invalid_value_selects_nothing_rather_than_everything(corpus):
    assert found(corpus, "status=bogus") == []
    assert found(corpus, "published_after=not-a-date") == []
    assert not QuoteFilter(QueryDict("status=bogus")).form.is_valid()


def test_article(corpus):
    assert set(found(corpus, f"article={corpus.governor.pk}")) == {"acted", "aid", "evil_quote"}


def test_outlet_ignores_case(corpus):
    assert set(found(corpus, "outlet=le+monde")) == {"nous", "ecole", "tokyo"}
    assert set(found(corpus, "outlet=LE+MONDE")) == {"nous", "ecole", "tokyo"}
    assert found(corpus, "outlet=monde") == []


def test_published_after(corpus):
    assert set(found(corpus, "published_after=2024-01-15")) == {"act", "actions", "fail", "nous", "ecole", "tokyo"}


def test_published_before(corpus):
    assert set(found(corpus, "published_before=2024-01-14")) == {"acted", "aid", "evil_quote"}


def test_date_range(corpus):
    assert set(found(corpus, "published_after=2024-01-01&published_before=2024-02-01")) == {"act", "actions", "fail"}


def test_speaker(corpus):
    assert set(found(corpus, f"speaker={corpus.jose.pk}")) == {"nous", "ecole"}


def test_speaker_name_by_word_start(corpus):
    assert set(found(corpus, "speaker_name=müll")) == {"nous", "ecole"}
    assert set(found(corpus, "speaker_name=CIVIC+leag")) == {"acted", "aid"}
    assert found(corpus, "speaker_name=ivic") == []


def test_speaker_name_finds_speakers_by_alias(corpus):
    from corpus.models import Speaker
    from corpus.services import speaker_alias_add

    speaker_alias_add(speaker=Speaker.objects.get(name="Jane Doe"), alias="Ms. Doe")
    assert set(found(corpus, "speaker_name=Ms.+Doe")) == {"act", "actions"}
    assert found(corpus, "speaker_name=Mr.+Doe") == []


def test_speaker_kind(corpus):
    assert set(found(corpus, "speaker_kind=organization")) == {"acted", "aid"}


def test_quote_kind(corpus):
    assert found(corpus, "kind=indirect") == ["fail"]
    assert found(corpus, "kind=mixed") == ["ecole"]


def test_annotator(corpus):
    assert set(found(corpus, f"annotator={corpus.ann2.pk}")) == {"fail", "acted", "aid"}


def test_stance_target(corpus):
    assert set(found(corpus, f"target={corpus.wall.pk}")) == {"act", "actions", "evil_quote"}


def test_stance_label(corpus):
    assert set(found(corpus, "stance=favor")) == {"act", "ecole"}


def test_stance_target_and_label_apply_to_the_same_stance(corpus):
    # "act" is against Immigration and favours the wall: it is not "against the wall".
    assert found(corpus, f"target={corpus.wall.pk}&stance=against") == ["actions"]
    # A second annotator read "act" as neutral on the wall: one stance is enough to match.
    assert found(corpus, f"target={corpus.wall.pk}&stance=neutral") == ["act"]


def test_tag_ignores_case_and_matches_whole_tags(corpus):
    assert found(corpus, "tag=ECONOMY") == ["act"]
    assert found(corpus, "tag=econ") == []
    assert found(corpus, "tag=%3Cb%3Ebold%3C%2Fb%3E") == ["aid"]
    assert found(corpus, "tag=éducation") == ["nous"]


def test_text_searches_quote_text(corpus):
    assert set(found(corpus, "q=act")) == {"act", "actions", "acted"}


def test_text_searches_speaker_names(corpus):
    assert set(found(corpus, "q=jane")) == {"act", "actions"}
    assert set(found(corpus, "q=José")) == {"nous", "ecole"}


def test_no_quote_appears_twice(corpus):
    rows = found(corpus, f"status=all&target={corpus.wall.pk}&tag=economy&q=act")
    assert rows == ["act"]


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("-published", {"nous", "ecole", "tokyo"}, {"acted", "aid", "evil_quote"}),
        ("published", {"acted", "aid", "evil_quote"}, {"nous", "ecole", "tokyo"}),
        ("speaker", {"evil_quote"}, {"fail", "tokyo"}),  # "<script>…" sorts first; no speaker comes last
        ("-speaker", {"nous", "ecole"}, {"fail", "tokyo"}),  # no speaker comes last both ways
    ],
)
def test_sort(corpus, sort, first, last):
    rows = found(corpus, f"sort={sort}")
    assert set(rows) == ACCEPTED
    assert set(rows[: len(first)]) == first
    assert set(rows[-len(last) :]) == last


def test_sort_is_total_and_stable(corpus):
    assert found(corpus, "sort=outlet") == found(corpus, "sort=outlet")
    assert found(corpus, "sort=-reviewed") == sorted(
        found(corpus, "sort=-reviewed"), key=lambda n: -getattr(corpus, n).reviewed_at.timestamp()
    )


def test_unknown_sort_keys_are_ignored_not_invalid(corpus):
    # The review queue sends its own sort keys (e.g. "newest") and orders the rows itself.
    assert QuoteFilter(QueryDict("sort=newest")).form.is_valid()
    assert set(found(corpus, "sort=newest")) == ACCEPTED


def test_submitted_dates(corpus):
    assert set(found(corpus, "status=all&submitted_after=2000-01-01", layer="annotation")) == (
        ACCEPTED | {"submitted", "rejected"}
    )
    # A curated quote was submitted when the quotes supporting it were.
    assert set(found(corpus, "submitted_after=2000-01-01")) == ACCEPTED
    assert found(corpus, "status=all&submitted_before=2000-01-01") == []


def _plan(queryset) -> str:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # The fixture's tables are tiny, so a scan is cheapest; forbid plain and ordered scans to see
        # which indexes the conditions *can* use. With ``text @@ q OR speaker_id IN (subquery)`` none could.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.postgres
def test_text_search_reads_the_text_index_and_the_speaker_index(corpus, monkeypatch):
    # A common word (more matches than TEXT_IDS_INLINE): text @@ q OR speaker_id IN (ids), which the
    # planner can answer from both indexes. The search condition alone is planned: the page adds layer
    # and status, which a tiny table answers by itself.
    monkeypatch.setattr("annotations.filters.matching_ids", lambda *args, **kwargs: None)
    condition = QuoteFilter().filter_text(Quote.objects.all(), "q", "jane")  # Jane Doe: a speaker by name
    assert condition.exists()
    plan = _plan(condition)
    assert "BitmapOr" in plan and "research_quote_words_gin" in plan, plan
    assert "annotations_quote_speaker_id" in plan and "Seq Scan on annotations_quote" not in plan, plan


@pytest.mark.postgres
def test_a_rare_word_is_read_from_the_text_index_first(corpus):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from corpus.search import matching_ids

    expected = set(Quote.objects.filter(text__icontains="border").values_list("pk", flat=True))
    assert expected
    with CaptureQueriesContext(connection) as captured:
        assert set(matching_ids(Quote.objects.all(), ["text"], "border", cap=10)) == expected
    sqls = [q["sql"] for q in captured.captured_queries]
    assert sqls[0].startswith("EXPLAIN (FORMAT JSON)")  # the planner's estimate first: not a common word
    assert "set_config('enable_seqscan', 'off', true)" in sqls[1] and "'on'" in sqls[-1]  # and set back
    probe = next(sql for sql in sqls[1:] if "to_tsquery" in sql)
    assert "LIMIT 11" in probe
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + probe)
        assert "research_quote_words_gin" in "\n".join(row[0] for row in cursor.fetchall())
    assert matching_ids(Quote.objects.all(), ["text"], "a", cap=1) is None  # more than the cap


@pytest.mark.postgres
def test_a_word_the_planner_expects_in_many_rows_is_not_probed(corpus, monkeypatch):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from corpus.search import matching_ids

    # (the fixture's 21 quotes are too few for ANALYZE to keep word frequencies: the estimate is
    # checked at a million quotes by benchmarks/pages_bench.py, docs/performance.md)
    expected = set(Quote.objects.filter(text__icontains="border").values_list("pk", flat=True))
    monkeypatch.setattr("corpus.search.COMMON_FACTOR", 0)  # every word counts as common
    with CaptureQueriesContext(connection) as captured:
        assert matching_ids(Quote.objects.all(), ["text"], "border", cap=10) is None
    assert len(captured.captured_queries) == 1 and captured.captured_queries[0]["sql"].startswith("EXPLAIN")
    assert set(found(corpus, "q=border")) == {"act"}  # the page-order walk finds the same quotes
    monkeypatch.setattr("corpus.search.COMMON_FACTOR", 20)
    assert set(matching_ids(Quote.objects.all(), ["text"], "border", cap=10)) == expected


@pytest.mark.parametrize("inline", [0, 5000])
def test_both_search_paths_find_the_same_quotes(corpus, monkeypatch, inline):
    monkeypatch.setattr("annotations.filters.TEXT_IDS_INLINE", inline)
    assert set(found(corpus, "q=act")) == {"act", "actions", "acted"}
    assert set(found(corpus, "q=jane")) == {"act", "actions"}
    assert set(found(corpus, "q=border wall")) == {"act"}


@pytest.mark.postgres
def test_speaker_name_search_scans_no_quotes(corpus):
    plan = _plan(QuoteFilter(QueryDict("speaker_name=jane")).qs)
    assert "research_speaker_words_gin" in plan and "research_alias_words_gin" in plan, plan
    assert "Seq Scan" not in plan, plan
