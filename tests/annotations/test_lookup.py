"""Lookup filters: the endpoint behind a LookupSelect, and pages that render the chosen row only."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, SpeakerFactory, UserFactory

pytestmark = pytest.mark.django_db

LOOKUP = {"anonymous": 401, "annotator": 200, "editor": 200, "researcher": 200, "admin": 200, "no role": 403}


@pytest.fixture
def visitors(role_users):
    return {**role_users, "no role": UserFactory()}


@pytest.mark.parametrize("who", sorted(LOOKUP))
@pytest.mark.parametrize("kind", ["articles", "speakers", "annotators"])
def test_permission_matrix(visitors, client_for, who, kind):
    response = client_for(visitors[who]).get(reverse("api-v1:lookup", kwargs={"kind": kind}), {"q": "a"})
    assert response.status_code == LOOKUP[who]


def test_unknown_kind_is_404(client_for, editor_user):
    assert (
        client_for(editor_user).get(reverse("api-v1:lookup", kwargs={"kind": "users"}), {"q": "a"}).status_code == 404
    )


def _results(client, kind, q):
    return client.get(reverse("api-v1:lookup", kwargs={"kind": kind}), {"q": q}).json()["results"]


def test_articles_by_title_word_starts_at_most_ten(client_for, editor_user):
    for i in range(12):
        ArticleFactory(title=f"Harbour plan {i:02d}", outlet="Gazette")
    ArticleFactory(title="Unrelated story")
    client = client_for(editor_user)
    rows = _results(client, "articles", "harb PLAN")
    assert len(rows) == 10 and all(r["label"].startswith("Harbour plan") for r in rows)
    assert rows[0]["detail"].startswith("Gazette")
    assert _results(client, "articles", "arbour") == []  # a word start, not any substring
    assert _results(client, "articles", "   ") == []


def test_speakers_by_name_or_alias(client_for, editor_user):
    from corpus.services import speaker_alias_add

    mayor = SpeakerFactory(name="Amara Okafor")
    speaker_alias_add(speaker=mayor, alias="the mayor")
    SpeakerFactory(name="Someone Else")
    client = client_for(editor_user)
    assert [r["value"] for r in _results(client, "speakers", "okaf")] == [mayor.pk]
    (row,) = _results(client, "speakers", "mayor")
    assert row["value"] == mayor.pk and row["detail"] == "the mayor"


def test_annotators_are_active_users_who_can_annotate(client_for, editor_user):
    from tests.factories import annotator, editor, researcher

    annotator(username="kofi-annotates")
    editor(username="kofi-edits")
    researcher(username="kofi-researches")
    annotator(username="kofi-left", is_active=False)
    client = client_for(editor_user)
    assert {r["label"] for r in _results(client, "annotators", "kofi")} == {"kofi-annotates", "kofi-edits"}
    assert _results(client, "annotators", "") == []  # an empty term asks nothing


def test_html_in_a_label_stays_data(client_for, editor_user):
    SpeakerFactory(name="<script>alert(1)</script> Smith")
    (row,) = _results(client_for(editor_user), "speakers", "smith")
    assert row["label"] == "<script>alert(1)</script> Smith"  # JSON; lookup.js sets textContent


def test_review_queue_renders_the_chosen_speaker_only(client_for, editor_user):
    speakers = [SpeakerFactory(name=f"Speaker number {i}") for i in range(30)]
    articles = [ArticleFactory(title=f"Article number {i}") for i in range(30)]
    client = client_for(editor_user)
    html = client.get(reverse("review:index")).content.decode()
    assert "Speaker number" not in html and "Article number" not in html
    html = client.get(reverse("review:index"), {"speaker": speakers[7].pk, "article": articles[3].pk}).content.decode()
    assert f'<option value="{speakers[7].pk}" selected>Speaker number 7</option>' in html
    assert f'<option value="{articles[3].pk}" selected>Article number 3</option>' in html
    assert html.count("Speaker number") == 1 and html.count("Article number") == 1
    assert 'data-lookup="/api/v1/lookup/speakers"' in html


def test_exports_page_renders_no_row_lists(client_for, researcher_user):
    for i in range(30):
        SpeakerFactory(name=f"Speaker number {i}")
        ArticleFactory(title=f"Article number {i}")
    html = client_for(researcher_user).get(reverse("exports:index")).content.decode()
    assert "Speaker number" not in html and "Article number" not in html
    assert 'data-lookup="/api/v1/lookup/articles"' in html


@pytest.mark.parametrize("rows", [3, 30])
def test_lookup_runs_a_bounded_number_of_queries(client_for, editor_user, django_assert_max_num_queries, rows):
    for i in range(rows):
        SpeakerFactory(name=f"Okafor {i}")
    client = client_for(editor_user)
    with django_assert_max_num_queries(6):
        assert len(_results(client, "speakers", "okafor")) == min(rows, 10)


@pytest.mark.postgres
def test_article_lookup_reads_the_title_index():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotations.selectors import lookup

    ArticleFactory(title="Harbour plan")
    with CaptureQueriesContext(connection) as captured:
        assert [r["label"] for r in lookup("articles", "harb")] == ["Harbour plan"]
    (sql,) = [q["sql"] for q in captured.captured_queries]  # psycopg's own rendering of the statement
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "research_title_words_gin" in plan, plan


@pytest.mark.postgres
def test_speaker_lookup_reads_the_name_and_alias_indexes():
    """The one speaker search (Speaker.objects.search_words): word starts of the name or of an alias,
    each from its GIN index, not a scan of every speaker."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotations.selectors import lookup
    from corpus.services import speaker_create

    speaker_create(name="Donald Trump", aliases=["Mr. Trump"])
    with CaptureQueriesContext(connection) as captured:
        assert [r["label"] for r in lookup("speakers", "mr trum")] == ["Donald Trump"]
    sql = captured.captured_queries[0]["sql"]  # the speakers; the second prefetches their aliases
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "research_speaker_words_gin" in plan and "research_alias_words_gin" in plan, plan


@pytest.mark.parametrize("kind", ["articles", "speakers", "annotators"])
def test_a_nul_byte_is_refused_with_a_message(client_for, editor_user, kind):
    response = client_for(editor_user).get(
        reverse("api-v1:lookup", kwargs={"kind": kind}), {"q": "nul\x00byte"}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
