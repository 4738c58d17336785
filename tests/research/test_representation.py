"""“Who gets quoted” against figures computed by hand on a corpus made for the test."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from annotations import services as annotation_services
from annotations.models import Quote
from corpus import services as corpus_services
from corpus.models import Speaker
from research import services as research_services
from research.representation import (
    SummaryScope,
    summary_scope,
    who_from_quotes,
    who_from_summary,
    who_gets_quoted,
    wilson,
)
from research.selectors import browse_quotes
from review import services as review_services
from tests import factories

pytestmark = pytest.mark.django_db

BODY = "“One,” A said. “Two,” B said. “Three,” C said. “Four,” D said. “Five,” E said."


@pytest.fixture
def small(editor_user):
    """Two outlets. Quotes by: Ann (woman, 3 quotes), Bea (woman, 1), Carl (man, 2), Dee (gender
    unknown, 1), the Agency (organization, 1), no speaker (1): 9 curated quotes, 5 speakers."""
    ann = corpus_services.speaker_create(name="Ann")
    bea = corpus_services.speaker_create(name="Bea")
    carl = corpus_services.speaker_create(name="Carl")
    dee = corpus_services.speaker_create(name="Dee")
    agency = corpus_services.speaker_create(name="The Agency", kind=Speaker.Kind.ORGANIZATION)
    for speaker, gender in ((ann, "woman"), (bea, "woman"), (carl, "man"), (agency, "not-applicable")):
        corpus_services.speaker_attribute_set(
            speaker=speaker, name="gender", value=gender, source="editor", actor=editor_user
        )
    corpus_services.speaker_attribute_set(speaker=ann, name="role", value="politician", source="editor")
    corpus_services.speaker_attribute_set(speaker=carl, name="role", value="expert", source="import")
    plan = {
        "Daily": [(ann, "One,"), (ann, "Two,"), (carl, "Three,"), (dee, "Four,"), (None, "Five,")],
        "Evening": [(ann, "One,"), (bea, "Two,"), (carl, "Three,"), (agency, "Four,")],
    }
    annotator = factories.annotator()
    for outlet, quotes in plan.items():
        article = factories.ArticleFactory(
            outlet=outlet, body=BODY, published=datetime.date(2024, 1 if outlet == "Daily" else 2, 5)
        )
        for speaker, text in quotes:
            quote = factories.make_quote(
                article=article, text=text, speaker=speaker, annotator_user=annotator, status="submitted"
            )
            annotation_services.quote_accept(quote=quote, reviewer=editor_user)
    # Not curated: never counted.
    factories.make_quote(article=article, text="Five,", speaker=bea, annotator_user=annotator, status="submitted")
    research_services.stats_refresh()  # what the commit hook does (these tests run in one transaction)
    return locals()


def flat(figures: dict) -> dict:
    """Every figure of a result, comparable: each table's and each group's (key, count, total)."""
    out = {unit: [(r.key, r.count, r.total) for r in figures[unit].rows] for unit in ("quotes", "speakers")}
    for breakdown in figures["breakdowns"]:
        for group in breakdown.groups:
            out[(breakdown.by, group.name)] = (
                [(r.key, r.count, r.total) for r in group.quotes],
                [(r.key, r.count, r.total) for r in group.speakers],
            )
    return out


def everything() -> SummaryScope:
    scope, missing = summary_scope(browse_quotes({}))
    assert scope is not None and not missing
    return scope


@pytest.mark.parametrize("read", ["summary", "quotes"])
def test_both_readings_equal_the_hand_counts(small, read):
    """The summary table and the direct count give the hand-made figures, distinct speakers per group
    included (Ann, quoted in both outlets, counts once overall and once in each outlet)."""
    figures = (
        who_from_summary(everything(), "gender")
        if read == "summary"
        else who_from_quotes(Quote.objects.curated(), "gender")
    )
    assert {r.key: r.count for r in figures["quotes"].rows} == {
        "woman": 4,
        "man": 2,
        "unknown": 1,
        "not-applicable": 1,
        "no-speaker": 1,
    }
    assert {r.key: r.count for r in figures["speakers"].rows} == {
        "woman": 2,
        "man": 1,
        "unknown": 1,
        "not-applicable": 1,
    }
    assert figures["speakers"].total == 5 and figures["quotes"].total == 9
    assert [r.key for r in figures["quotes"].rows] == ["woman", "man", "unknown", "not-applicable", "no-speaker"]
    outlet, month = figures["breakdowns"]
    speakers = {g.name: {r.key: r.count for r in g.speakers} for g in outlet.groups}
    assert speakers == {
        "Daily": {"woman": 1, "man": 1, "unknown": 1},
        "Evening": {"woman": 2, "man": 1, "not-applicable": 1},
    }
    quotes = {g.name: {r.key: r.count for r in g.quotes} for g in month.groups}
    assert quotes == {
        "2024-01": {"woman": 2, "man": 1, "unknown": 1, "no-speaker": 1},
        "2024-02": {"woman": 2, "man": 1, "not-applicable": 1},
    }
    daily_unknown = next(r for r in outlet.groups[0].quotes if r.key == "unknown")
    assert (daily_unknown.count, daily_unknown.total) == (1, 5)  # the unknown is counted, in the total too
    assert (daily_unknown.low, daily_unknown.high) == wilson(1, 5)
    roles = (
        who_from_summary(everything(), "role")
        if read == "summary"
        else who_from_quotes(Quote.objects.curated(), "role")
    )
    assert [(r.key, r.count) for r in roles["speakers"].rows] == [("politician", 1), ("expert", 1), ("unknown", 3)]


FILTERS = [
    {},
    {"outlet": "evening"},  # the browser's rule: any case
    {"published_after": "2024-02-01"},
    {"published_before": "2024-01-31"},
    {"speaker_kind": "person"},
    {"status": "all"},
    {"status": "rejected"},
]


def assert_summary_equals_quotes():
    research_services.stats_refresh()
    for data in FILTERS:
        quote_filter = browse_quotes(data)
        scope, missing = summary_scope(quote_filter)
        assert scope is not None and not missing, data
        for dimension in ("gender", "role", "kind"):
            assert flat(who_from_summary(scope, dimension)) == flat(who_from_quotes(quote_filter.qs, dimension)), (
                data,
                dimension,
            )


def test_summary_equals_a_fresh_count_after_every_kind_of_change(small, editor_user):
    s = small
    assert_summary_equals_quotes()
    # create and accept
    article = factories.ArticleFactory(outlet="Daily", body=BODY, published=datetime.date(2024, 3, 1))
    quote = factories.make_quote(
        article=article, text="One,", speaker=s["bea"], annotator_user=s["annotator"], status="submitted"
    )
    annotation_services.quote_accept(quote=quote, reviewer=editor_user)
    assert_summary_equals_quotes()
    # an editor's correction of a curated quote's speaker
    curated = Quote.objects.curated().filter(speaker=s["carl"]).first()
    annotation_services.curated_quote_update(quote=curated, editor=editor_user, speaker=s["dee"])
    assert_summary_equals_quotes()
    # a review rejecting a submitted quote (nothing curated changes) and another accepted
    pending = factories.make_quote(
        article=article, text="Two,", speaker=s["ann"], annotator_user=s["annotator"], status="submitted"
    )
    annotation_services.quote_reject(quote=pending, reviewer=editor_user, reason="Not a quote")
    assert_summary_equals_quotes()
    # speaker attributes and kind: read at once, no recount
    corpus_services.speaker_attribute_set(speaker=s["dee"], name="gender", value="non-binary", source="editor")
    corpus_services.speaker_attribute_set(speaker=s["bea"], name="role", value="expert", source="editor")
    assert_summary_equals_quotes()
    genders = {r.key: r.count for r in who_from_summary(everything(), "gender")["speakers"].rows}
    assert genders == {"woman": 2, "man": 1, "non-binary": 1, "not-applicable": 1}
    # merge, and its undo
    merge = review_services.speaker_merge(source=s["bea"], target=s["ann"], actor=editor_user)
    assert_summary_equals_quotes()
    review_services.speaker_merge_undo(merge=merge, actor=editor_user)
    assert_summary_equals_quotes()
    # an article's outlet and date change; a curated quote and an article deleted
    from corpus.services import article_update

    article_update(article=article, outlet="Evening", published="2023-12-31")
    assert_summary_equals_quotes()
    annotation_services.quote_delete(quote=Quote.objects.curated().filter(speaker=s["ann"]).first(), actor=editor_user)
    assert_summary_equals_quotes()
    article.delete()
    assert_summary_equals_quotes()


def test_filters_the_summary_cannot_answer_fall_back_to_the_quotes(small):
    for data in ({"tag": "economy"}, {"q": "one"}, {"kind": "direct"}, {"published_after": "2024-01-02"}):
        scope, missing = summary_scope(browse_quotes(data))
        assert scope is None and missing, data
    scope, _ = summary_scope(browse_quotes({"published_after": "2024-01-01", "published_before": "2024-02-29"}))
    assert scope is not None


def test_wilson_interval_matches_the_formula():
    low, high = wilson(3, 9)
    assert round(low, 4) == 0.1206 and round(high, 4) == 0.6458
    assert wilson(0, 0) == (0.0, 0.0) and wilson(0, 5)[0] == 0.0 and wilson(5, 5)[1] == 1.0


def test_gender_shares_equal_the_hand_counts(small):
    figures = who_gets_quoted(Quote.objects.curated(), "gender")
    quotes = {r.key: r.count for r in figures["quotes"].rows}
    assert quotes == {"woman": 4, "man": 2, "unknown": 1, "not-applicable": 1, "no-speaker": 1}
    assert figures["quotes"].total == 9
    speakers = {r.key: r.count for r in figures["speakers"].rows}
    assert speakers == {"woman": 2, "man": 1, "unknown": 1, "not-applicable": 1}  # Dee's is unknown, kept
    woman = next(r for r in figures["quotes"].rows if r.key == "woman")
    assert round(woman.share, 4) == round(4 / 9, 4) and (woman.low, woman.high) == wilson(4, 9)
    outlets = {group.name: {r.key: r.count for r in group.quotes} for group in figures["breakdowns"][0].groups}
    assert outlets == {
        "Daily": {"woman": 2, "man": 1, "unknown": 1, "no-speaker": 1},
        "Evening": {"woman": 2, "man": 1, "not-applicable": 1},
    }
    months = [group.name for group in figures["breakdowns"][1].groups]
    assert months == ["2024-01", "2024-02"]


def test_role_and_kind(small):
    roles = {r.key: r.count for r in who_gets_quoted(Quote.objects.curated(), "role")["quotes"].rows}
    assert roles == {"politician": 3, "expert": 2, "unknown": 3, "no-speaker": 1}
    kinds = {r.key: r.count for r in who_gets_quoted(Quote.objects.curated(), "kind")["quotes"].rows}
    assert kinds == {"person": 7, "organization": 1, "no-speaker": 1}


def test_page_filters_downloads_and_bounded_queries(small, client_for, researcher_user, django_assert_max_num_queries):
    client = client_for(researcher_user)
    url = reverse("research:who")
    with django_assert_max_num_queries(9):  # session, user, groups, catch-up, 3 grouped reads, labels
        page = client.get(url, {"outlet": "Evening", "by": "role"})
    assert page.status_code == 200
    assert {r.key: r.count for r in page.context["quotes"].rows} == {"politician": 1, "expert": 1, "unknown": 2}
    page = client.get(url, {"outlet": "Evening"})
    assert {r.key: r.count for r in page.context["quotes"].rows} == {"woman": 2, "man": 1, "not-applicable": 1}
    html = page.content.decode()
    assert "Who gets quoted" in html and "50.0%" in html and "<svg" in html
    response = client.get(url, {"by": "gender", "format": "csv", "table": "quotes"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["gender"]: int(r["count"]) for r in rows}["woman"] == 4
    month = list(csv.reader(io.StringIO(client.get(url, {"format": "csv", "table": "month"}).content.decode())))
    assert month[0][:3] == ["month", "unit", "gender"] and {r[0] for r in month[1:]} == {"2024-01", "2024-02"}
    assert ["2024-02", "speakers", "woman", "Woman", "2", "4", "0.5000"] in [row[:7] for row in month]
    assert client_for(factories.annotator()).get(url).status_code == 403
    assert client.post(url).status_code == 405


def test_page_says_when_it_counts_the_quotes_itself(small, client_for, researcher_user, monkeypatch):
    client = client_for(researcher_user)
    url = reverse("research:who")
    page = client.get(url, {"q": "one"})
    assert page.context["from_summary"] is False and page.context["matching"] == 2
    assert "Counted directly from the 2 matching quotes" in page.content.decode()
    assert {r.key: r.count for r in page.context["quotes"].rows} == {"woman": 2}
    monkeypatch.setattr("research.representation.LIVE_LIMIT", 1)
    page = client.get(url, {"q": "one"})
    assert page.context["too_many"] and page.context["quotes"].rows == []
    assert "more than 1 match" in page.content.decode()
    page = client.get(url)
    assert page.context["from_summary"] and 'id="who-source"' not in page.content.decode()


def test_page_reports_articles_not_counted_yet(small, client_for, researcher_user, monkeypatch):
    from research.models import ArticleStats

    ArticleStats.objects.update(stale=True)
    monkeypatch.setattr("research.services.INLINE_REFRESH", 1)
    monkeypatch.setattr(research_services.stats_catch_up, "__kwdefaults__", {"limit": 1})
    page = client_for(researcher_user).get(reverse("research:who"))
    assert page.context["uncounted"] == 2 and "refresh_stats" in page.content.decode()


def test_csv_neutralizes_formulas_in_group_names(small, client_for, researcher_user, editor_user):
    article = factories.ArticleFactory(outlet="=HYPERLINK(1)", body=BODY, published=datetime.date(2024, 4, 2))
    quote = factories.make_quote(
        article=article, text="One,", speaker=small["ann"], annotator_user=small["annotator"], status="submitted"
    )
    annotation_services.quote_accept(quote=quote, reviewer=editor_user)
    research_services.stats_refresh()
    response = client_for(researcher_user).get(reverse("research:who"), {"format": "csv", "table": "outlet"})
    groups = {row[0] for row in csv.reader(io.StringIO(response.content.decode()))}
    assert "'=HYPERLINK(1)" in groups and "=HYPERLINK(1)" not in groups
