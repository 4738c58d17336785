"""Research pages: permissions, content, escaping, non-ASCII text and bounded queries."""

import datetime

import pytest
from django.db import transaction
from django.urls import reverse

from annotations import services
from annotations.models import Quote
from tests import factories

from .conftest import add_quote, build_corpus

# Each test runs in its own savepoint inside the module's transaction (pytest-django nests it), so what
# a test writes is gone before the next one.
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The research corpus, built once for the module (through the services, it was most of each test's
    time) and rolled back with the module's transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_corpus()
        transaction.set_rollback(True)


def page_urls(corpus):
    return {
        "index": reverse("research:index"),
        "quotes": reverse("research:quotes"),
        "articles": reverse("research:articles") + "?q=border",
        "article": reverse("research:article", args=[corpus.border.pk]),
        "speakers": reverse("research:speakers"),
        "speaker": reverse("research:speaker", args=[corpus.jane.pk]),
        "stances": reverse("research:stances"),
        "stances_target": reverse("research:stances") + f"?target={corpus.wall.pk}",
    }


EXPECTED = {"anonymous": 302, "annotator": 403, "editor": 200, "researcher": 200, "admin": 200}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_permission_matrix(corpus, role_users, client_for, who):
    client = client_for(role_users[who])
    for name, url in page_urls(corpus).items():
        response = client.get(url)
        assert response.status_code == EXPECTED[who], (name, who)
        if who == "anonymous":
            assert response["Location"].startswith(reverse("login")), name


def test_pages_are_read_only(corpus, client_for, researcher_user):
    client = client_for(researcher_user)
    for url in page_urls(corpus).values():
        assert client.post(url).status_code == 405
    assert Quote.objects.count() == 21  # 12 annotators' quotes and the 9 curated ones of the accepted


@pytest.fixture
def rclient(client_for, researcher_user):
    return client_for(researcher_user)


def test_overview_counts(corpus, rclient):
    response = rclient.get(reverse("research:index"))
    ctx = response.context
    assert ctx["accepted_count"] == 9
    assert ctx["total_quotes"] == 12
    assert {v: n for v, _, n in ctx["statuses"]} == {"draft": 1, "submitted": 1, "accepted": 9, "rejected": 1}
    assert {o["outlet"]: (o["articles"], o["quote_count"]) for o in ctx["outlets"]} == {
        "Daily Planet": (2, 6),
        "Le Monde": (1, 3),
    }
    assert [(s.name, s.n) for s in ctx["top_speakers"]][:1] in (
        [("Civic League", 2)],
        [("Jane Doe", 2)],
        [("José Müller", 2)],
    )
    months = dict(ctx["months"])
    assert months[datetime.date(2023, 11, 1)] == 3
    assert months[datetime.date(2023, 12, 1)] == 0  # gaps are filled
    assert months[datetime.date(2024, 1, 1)] == 3
    assert months[datetime.date(2024, 3, 1)] == 3
    html = response.content.decode()
    assert "<svg" in html and "Accepted quotes per month" in html


def test_quote_browser_defaults_to_accepted_and_filters(corpus, rclient):
    response = rclient.get(reverse("research:quotes"))
    assert response.context["page"].paginator.count == 9
    response = rclient.get(
        reverse("research:quotes"), {"speaker": corpus.jane.pk, "target": corpus.wall.pk, "stance": "against"}
    )
    assert [q.pk for q in response.context["page"]] == [corpus.actions.pk]
    html = response.content.decode()
    assert "Jane Doe" in html and "×" in html  # the chosen speaker shows as a removable chip


def test_quote_browser_reports_bad_filters(corpus, rclient):
    response = rclient.get(reverse("research:quotes"), {"published_after": "yesterday"})
    assert response.context["page"].paginator.count == 0
    assert "Some filters were not understood" in response.content.decode()


def test_quote_browser_paginates_and_sorts(corpus, rclient, monkeypatch):
    monkeypatch.setattr("research.views.QUOTES_PER_PAGE", 4)
    response = rclient.get(reverse("research:quotes"), {"sort": "-published", "page": 3})
    page = response.context["page"]
    assert page.number == 3 and len(page.object_list) == 1
    assert page.object_list[0].article_id == corpus.governor.pk
    assert "sort=-published" in response.content.decode()  # page links keep the filters


def test_download_link_carries_the_same_query(corpus, rclient):
    response = rclient.get(reverse("research:quotes"), {"speaker_kind": "organization", "q": "aid", "page": "1"})
    html = response.content.decode()
    url = reverse("exports:quotes_csv")
    assert f'href="{url}?speaker_kind=organization&amp;q=aid"' in html
    assert "Download CSV of these rows" in html


def test_download_link_hidden_while_the_filters_are_invalid(corpus, rclient):
    html = rclient.get(reverse("research:quotes"), {"published_after": "2020-02-31"}).content.decode()
    assert "Download CSV" not in html


def test_article_search_page(corpus, rclient):
    response = rclient.get(reverse("research:articles"), {"q": "réforme gratuite"})
    articles = list(response.context["page"])
    assert [a.title for a in articles] == ["Écoles: la réforme"]
    assert articles[0].snippet["match"] == "gratuite"
    assert "<mark>gratuite</mark>" in response.content.decode()


def test_article_page_highlights_accepted_quotes_only(corpus, rclient):
    factories.make_mention(article=corpus.border, text="Jane Doe", label="PERSON", annotator_user=corpus.ann)
    response = rclient.get(reverse("research:article", args=[corpus.border.pk]))
    html = response.content.decode()
    assert f'id="q-{corpus.act.pk}"' in html
    assert f'id="q-{corpus.actions.pk}"' in html
    assert f'id="q-{corpus.draft.pk}"' not in html and f'id="q-{corpus.rejected.pk}"' not in html
    assert '<mark class="hl-cue"' in html
    assert "hl-entity" not in html.split('class="article-body"')[1]  # the mention is only a draft
    assert response.context["mention_count"] == 0
    # The text survives the segmentation unchanged.
    assert "".join(seg.text for seg in response.context["segments"]) == corpus.border.body


def test_article_page_nests_overlapping_highlights(corpus, rclient):
    mention = factories.make_mention(article=corpus.border, text="border wall", label="FAC", annotator_user=corpus.ann)
    services.entity_mention_review(mention=mention, reviewer=corpus.ed, accept=True)
    html = rclient.get(reverse("research:article", args=[corpus.border.pk])).content.decode()
    # "border wall" lies inside the quote: the entity mark is nested inside the quote mark.
    assert '<mark class="hl-entity hl-ent-fac" title="Facility">border wall</mark>' in html
    body = html.split('class="article-body"')[1].split("</div>")[0]
    assert body.count("<mark") == body.count("</mark>")


def test_speaker_page(corpus, rclient):
    response = rclient.get(reverse("research:speaker", args=[corpus.jane.pk]))
    assert response.context["quote_count"] == 2
    rows = {r.label: r.counts for r in response.context["stance_rows"]}
    assert rows == {"Border wall": {"favor": 1, "neutral": 1, "against": 1}, "Immigration": {"against": 1}}
    assert {q.pk for q in response.context["page"]} == {corpus.act.pk, corpus.actions.pk}


def test_speaker_page_names_a_proposed_item_to_editors_only(client_for, researcher_user, editor_user):
    from django.utils import timezone

    from corpus.models import Speaker

    speaker = Speaker.objects.create(
        name="Maria Scott", wikidata_qid_proposed="Q9000001", wikidata_proposed_at=timezone.now()
    )
    url = reverse("research:speaker", args=[speaker.pk])
    assert "Q9000001" not in client_for(researcher_user).get(url).content.decode()  # not research data
    html = client_for(editor_user).get(url).content.decode()
    assert "Wikidata Q9000001 proposed, waiting for an editor" in html
    assert reverse("review:speaker_wikidata", args=[speaker.pk]) in html


def test_stance_page_by_speaker_for_one_target(corpus, rclient):
    response = rclient.get(reverse("research:stances"), {"target": corpus.wall.pk})
    rows = {r.label: r.counts for r in response.context["rows"]}
    assert rows == {"Jane Doe": {"favor": 1, "neutral": 1, "against": 1}, corpus.evil.name: {"unclear": 1}}


def test_stance_page_for_one_target_shows_the_top_speakers_and_counts_the_others(corpus, rclient):
    from research import selectors
    from research import services as research_services

    research_services.stats_refresh()
    top = selectors.stance_matrix(target=corpus.wall, limit=1)
    assert [(r.label, r.total) for r in top["rows"]] == [("Jane Doe", 3)]
    assert (top["more"], top["more_capped"]) == (1, False)
    capped = selectors.stance_matrix(target=corpus.wall, limit=1, cap=1)  # 2 speakers: more than the cap
    assert capped["more_capped"] and capped["rows"] == top["rows"]
    every = selectors.stance_matrix(target=corpus.wall)
    assert [r.label for r in every["rows"]] == ["Jane Doe", corpus.evil.name] and every["more"] == 0
    html = rclient.get(reverse("research:stances"), {"target": corpus.wall.pk}).content.decode()
    assert "more speaker" not in html


def test_speaker_list_search(corpus, rclient):
    response = rclient.get(reverse("research:speakers"), {"q": "müller"})
    assert [s.name for s in response.context["page"]] == ["José Müller"]


PAYLOADS = ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "<b>bold</b>", "<i>it</i>"]


def test_html_payloads_render_escaped_everywhere(corpus, rclient):
    urls = list(page_urls(corpus).values()) + [
        reverse("research:article", args=[corpus.governor.pk]),
        reverse("research:speaker", args=[corpus.evil.pk]),
        reverse("research:articles") + "?q=script",
        reverse("research:quotes") + "?q=%3Cscript%3E&tag=%3Cb%3E",
        reverse("research:quotes") + "?status=all",
    ]
    for url in urls:
        html = rclient.get(url).content.decode()
        for payload in PAYLOADS:
            assert payload not in html, (url, payload)
    html = rclient.get(reverse("research:speaker", args=[corpus.evil.pk])).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Evil" in html
    html = rclient.get(reverse("research:quotes")).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt; is not code," in html
    assert "#&lt;b&gt;bold&lt;/b&gt;" in html


def test_non_ascii_text_round_trips(corpus, rclient):
    html = rclient.get(reverse("research:article", args=[corpus.french.pk])).content.decode()
    assert "L’école d’été est gratuite," in html and "東京は大きい。" in html and "山田" in html
    html = rclient.get(reverse("research:quotes"), {"q": "東京"}).content.decode()
    assert "東京は大きい。" in html


def test_unknown_objects_are_404(rclient, db):
    assert rclient.get(reverse("research:article", args=[999999])).status_code == 404
    assert rclient.get(reverse("research:speaker", args=[999999])).status_code == 404


# --- bounded queries -------------------------------------------------------------------------


def grow(corpus, n):
    """Add ``n`` accepted quotes over new articles, speakers, stances and tags."""
    for i in range(n):
        article = factories.ArticleFactory(outlet=f"Outlet {i % 4}", published=datetime.date(2022, 1 + i % 12, 1))
        speaker = factories.SpeakerFactory(name=f"Speaker {i}")
        add_quote(
            article,
            "We will act,",
            annotator=corpus.ann,
            reviewer=corpus.ed,
            speaker=speaker,
            tags=[f"t{i}", "common"],
            stances=[(corpus.wall, "favor"), (corpus.immigration, "against")],
        )
        factories.make_mention(article=article, text="Jane Doe", annotator_user=corpus.ann)


# 15: on PostgreSQL a text search first asks the planner for an estimate (corpus.search: EXPLAIN, no rows
# read) before it consults the text index alone; a fixed cost, whatever the corpus size.
MAX_QUERIES = 15


@pytest.mark.parametrize("extra", [0, 30])
def test_every_page_runs_a_bounded_number_of_queries(corpus, rclient, django_assert_max_num_queries, extra):
    grow(corpus, extra)
    # The changes' recount runs once they commit (on_commit, which the test transaction never reaches);
    # a page that finds stale articles recounts them itself, in a fixed number of queries.
    with django_assert_max_num_queries(MAX_QUERIES + 10):
        assert rclient.get(reverse("research:index")).status_code == 200
    urls = list(page_urls(corpus).values()) + [
        reverse("research:quotes") + f"?q=act&status=all&tag=common&target={corpus.wall.pk}&stance=favor"
        f"&speaker_name=speaker&sort=-published&published_after=2000-01-01",
        reverse("research:speakers") + "?q=speaker",
        reverse("research:stances") + f"?target={corpus.immigration.pk}",
    ]
    for url in urls:
        with django_assert_max_num_queries(MAX_QUERIES):
            assert rclient.get(url).status_code == 200, url


def test_quote_browser_says_more_than_the_cap_instead_of_counting_every_row(corpus, rclient, monkeypatch):
    monkeypatch.setattr("annotations.pagination.COUNT_CAP", 2)
    html = rclient.get(reverse("research:quotes")).content.decode()
    assert "More than 2</strong> quotes" in html
    monkeypatch.setattr("annotations.pagination.COUNT_CAP", 1000)
    response = rclient.get(reverse("research:quotes"))
    count = response.context["page"].paginator.count
    assert f"<strong>{count}</strong> quote" in response.content.decode() and count > 2
