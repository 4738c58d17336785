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
from research.representation import who_gets_quoted, wilson
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
    return locals()


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
    outlets = {group: {r.key: r.count for r in rows} for group, rows in figures["breakdowns"][0].groups}
    assert outlets == {
        "Daily": {"woman": 2, "man": 1, "unknown": 1, "no-speaker": 1},
        "Evening": {"woman": 2, "man": 1, "not-applicable": 1},
    }
    months = [group for group, _ in figures["breakdowns"][1].groups]
    assert months == ["2024-01", "2024-02"]


def test_role_and_kind(small):
    roles = {r.key: r.count for r in who_gets_quoted(Quote.objects.curated(), "role")["quotes"].rows}
    assert roles == {"politician": 3, "expert": 2, "unknown": 3, "no-speaker": 1}
    kinds = {r.key: r.count for r in who_gets_quoted(Quote.objects.curated(), "kind")["quotes"].rows}
    assert kinds == {"person": 7, "organization": 1, "no-speaker": 1}


def test_page_filters_downloads_and_bounded_queries(small, client_for, researcher_user, django_assert_max_num_queries):
    client = client_for(researcher_user)
    url = reverse("research:who")
    with django_assert_max_num_queries(12):
        page = client.get(url, {"outlet": "Evening"})
    assert page.status_code == 200
    assert {r.key: r.count for r in page.context["quotes"].rows} == {"woman": 2, "man": 1, "not-applicable": 1}
    html = page.content.decode()
    assert "Who gets quoted" in html and "50.0%" in html and "<svg" in html
    response = client.get(url, {"by": "gender", "format": "csv", "table": "quotes"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["gender"]: int(r["count"]) for r in rows}["woman"] == 4
    month = list(csv.reader(io.StringIO(client.get(url, {"format": "csv", "table": "month"}).content.decode())))
    assert month[0][0] == "month" and {r[0] for r in month[1:]} == {"2024-01", "2024-02"}
    assert client_for(factories.annotator()).get(url).status_code == 403
    assert client.post(url).status_code == 405
