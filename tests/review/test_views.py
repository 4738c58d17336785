import csv
import io
from html import unescape

import pytest
from django.test import override_settings
from django.urls import reverse

from annotations import services as annotation_services
from annotations.models import Quote, Status
from corpus.models import Speaker
from review import services
from review.models import Assignment, SpeakerMerge
from tests.corpus.test_wikidata import fake  # noqa: F401  (fixture: the local fake Wikidata)
from tests.factories import ArticleFactory, SpeakerFactory, StanceTargetFactory, annotator, make_mention, make_quote

from .conftest import submit

pytestmark = pytest.mark.django_db

EDITOR_GET = ["review:index", "review:assignments", "review:agreement", "review:agreement_csv", "review:speaker_merge"]
EDITOR_GET_ARTICLE = ["review:adjudicate", "review:article_agreement", "review:article_agreement_csv"]
EDITOR_POST_QUOTE = ["review:quote_accept", "review:quote_reject", "review:quote_correct"]
EDITOR_POST_ARTICLE = ["review:adjudicate_pick", "review:adjudicate_entity"]
EXPECTED_GET = {"anonymous": 302, "annotator": 403, "editor": 200, "researcher": 403, "admin": 200}
EXPECTED_POST = {"anonymous": 302, "annotator": 403, "researcher": 403}


def all_urls(article, quote, assignment):
    get = [reverse(n) for n in EDITOR_GET] + [reverse(n, args=[article.pk]) for n in EDITOR_GET_ARTICLE]
    get.append(reverse("review:quote", args=[quote.pk]))
    post = [reverse(n, args=[quote.pk]) for n in EDITOR_POST_QUOTE] + [
        reverse(n, args=[article.pk]) for n in EDITOR_POST_ARTICLE
    ]
    post += [
        reverse("review:bulk"),
        reverse("review:assignments"),
        reverse("review:speaker_merge"),
        reverse("review:assignment_delete", args=[assignment.pk]),
    ]
    return get, post


@pytest.mark.parametrize("who", ["anonymous", "annotator", "editor", "researcher", "admin"])
def test_permission_matrix(who, role_users, client_for, article, submitted_quote, editor_user, annotator_user):
    assignment = services.assignments_create(articles=[article], annotators=[annotator_user], assigned_by=editor_user)[
        0
    ]
    client = client_for(role_users[who])
    get, post = all_urls(article, submitted_quote, assignment)
    for url in get:
        response = client.get(url)
        assert response.status_code == EXPECTED_GET[who], (url, response.status_code)
        if who == "anonymous":
            assert response.url.startswith(reverse("login"))
    for url in post:
        if who in EXPECTED_POST:
            response = client.post(url, {})
            assert response.status_code == EXPECTED_POST[who], (url, response.status_code)
    # Nothing was written by anyone without the role.
    if who in EXPECTED_POST:
        assert Quote.objects.get().status == Status.SUBMITTED and Assignment.objects.count() == 1
    # The annotator's own page: annotators (and editors, who may annotate) only.
    response = client.get(reverse("review:mine"))
    expected_mine = {"anonymous": 302, "annotator": 200, "editor": 200, "researcher": 403, "admin": 200}[who]
    assert response.status_code == expected_mine


def test_writes_need_post_and_csrf(client, editor_user, submitted_quote):
    client.force_login(editor_user)
    assert client.get(reverse("review:quote_accept", args=[submitted_quote.pk])).status_code == 405
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor_user)
    response = strict.post(
        reverse("review:quote_accept", args=[submitted_quote.pk]), {"expected_version": submitted_quote.version}
    )
    assert response.status_code == 403
    assert Quote.objects.get().status == Status.SUBMITTED


def test_queue_shows_quote_in_paragraph_escaped_with_details(client, editor_user, annotator_user):
    article = ArticleFactory(body="<b>Intro</b> “We <script>x</script> act,” Jane said.\n\nOther paragraph.")
    speaker = SpeakerFactory(name="Jane <i>Doe</i>")
    quote = submit(
        make_quote(
            article=article,
            text="We <script>x</script> act,",
            annotator_user=annotator_user,
            speaker=speaker,
            cue="said",
            tags=["budget"],
        )
    )
    annotation_services.stance_set(
        quote=quote, target=StanceTargetFactory(name="Plan"), label="favor", annotator=annotator_user
    )
    client.force_login(editor_user)
    html = client.get(reverse("review:index")).content.decode()
    assert '<mark class="q">We &lt;script&gt;x&lt;/script&gt; act,</mark>' in html
    assert "&lt;b&gt;Intro&lt;/b&gt;" in html and "<script>x</script>" not in html
    assert '<mark class="cue" title="Cue">said</mark>' in html
    assert "Jane &lt;i&gt;Doe&lt;/i&gt;" in html
    assert "Plan: Favor" in html and "budget" in html and "Other paragraph" not in html
    assert 'data-status="submitted">1<' in html


def test_queue_filters_sorting_and_counts(client, editor_user, annotator_user, other_annotator):
    article = ArticleFactory()
    a = submit(make_quote(article=article, annotator_user=annotator_user, kind="direct"))
    b = submit(make_quote(article=article, text="The plan is ready.", annotator_user=other_annotator, kind="indirect"))
    annotation_services.quote_accept(quote=submit(make_quote(annotator_user=annotator_user)), reviewer=editor_user)
    client.force_login(editor_user)
    response = client.get(reverse("review:index"), {"kind": "indirect"})
    assert [q.pk for q, *_ in response.context["items"]] == [b.pk]
    response = client.get(reverse("review:index"), {"annotator": annotator_user.pk})
    assert [q.pk for q, *_ in response.context["items"]] == [a.pk]
    assert response.context["counts"] == {"draft": 0, "submitted": 1, "accepted": 1, "rejected": 0}
    response = client.get(reverse("review:index"), {"sort": "newest"})
    assert [q.pk for q, *_ in response.context["items"]] == [b.pk, a.pk]
    response = client.get(reverse("review:index"), {"status": "accepted"})
    assert len(response.context["items"]) == 1
    response = client.get(reverse("review:index"), {"submitted_after": "2999-01-01"})
    assert response.context["items"] == []


def test_accept_and_reject_through_the_views(client, editor_user, submitted_quote):
    client.force_login(editor_user)
    url = reverse("review:quote_reject", args=[submitted_quote.pk])
    response = client.post(url, {"expected_version": submitted_quote.version, "reason": ""}, follow=True)
    assert "Give a reason" in response.content.decode()
    assert Quote.objects.get().status == Status.SUBMITTED
    response = client.post(
        url,
        {
            "expected_version": submitted_quote.version,
            "reason": "Paraphrase <b>only</b>",
            "next": "/review/?status=all",
        },
    )
    assert response.status_code == 302 and response.url == "/review/?status=all"
    quote = Quote.objects.annotations().get()
    assert (quote.status, quote.review_note, quote.reviewed_by) == (
        Status.REJECTED,
        "Paraphrase <b>only</b>",
        editor_user,
    )
    # Unsafe next is ignored.
    response = client.post(
        reverse("review:quote_accept", args=[quote.pk]),
        {"expected_version": quote.version, "next": "https://evil.example/"},
    )
    assert response.url == reverse("review:index")
    assert Quote.objects.annotations().get().status == Status.ACCEPTED


def test_second_editor_gets_409_with_current_state(client, editor_user, submitted_quote):
    client.force_login(editor_user)
    seen = submitted_quote.version
    client.post(reverse("review:quote_accept", args=[submitted_quote.pk]), {"expected_version": seen})
    response = client.post(
        reverse("review:quote_reject", args=[submitted_quote.pk]), {"expected_version": seen, "reason": "Wrong speaker"}
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "changed while you were looking at it" in html and "Accepted" in html and f"version {seen + 1}" in html
    assert Quote.objects.annotations().get().status == Status.ACCEPTED


def test_correct_view(client, editor_user, submitted_quote, article):
    client.force_login(editor_user)
    url = reverse("review:quote_correct", args=[submitted_quote.pk])
    start = article.body.index("The plan is ready.")
    response = client.post(url, {"expected_version": submitted_quote.version, "spans": "nonsense", "kind": "direct"})
    assert response.status_code == 400 and "start-end" in response.content.decode()
    response = client.post(url, {"expected_version": submitted_quote.version, "spans": "0-99999", "kind": "direct"})
    assert response.status_code == 400 and "past the end" in response.content.decode()
    assert Quote.objects.get().version == submitted_quote.version and not Quote.objects.curated().exists()
    response = client.post(
        url,
        {
            "expected_version": submitted_quote.version,
            "spans": f"{start}-{start + 18}",
            "kind": "mixed",
            "cue": "",
            "note": "fixed",
        },
    )
    assert response.status_code == 302
    quote = Quote.objects.curated().get()
    assert (quote.text, quote.kind, quote.status) == ("The plan is ready.", "mixed", Status.ACCEPTED)
    mine = Quote.objects.annotations().get()
    assert (mine.text, mine.kind, mine.status, mine.curated) == ("We will act,", "direct", Status.ACCEPTED, quote)
    detail = client.get(reverse("review:quote", args=[quote.pk])).content.decode()
    assert "Corrected in review" in detail and "We will act," in detail and "The plan is ready." in detail


def test_bulk_view_reports_each_quote(client, editor_user, annotator_user):
    article = ArticleFactory()
    a = submit(make_quote(article=article, annotator_user=annotator_user))
    b = submit(make_quote(article=article, text="The plan is ready.", annotator_user=annotator_user))
    annotation_services.quote_accept(quote=b, reviewer=editor_user)
    client.force_login(editor_user)
    response = client.post(
        reverse("review:bulk"), {"decision": "reject", "quote": [f"{a.pk}:{a.version}"], "reason": ""}, follow=True
    )
    assert "Give a reason" in response.content.decode() and Quote.objects.get(pk=a.pk).status == Status.SUBMITTED
    response = client.post(
        reverse("review:bulk"), {"decision": "accept", "quote": [f"{a.pk}:{a.version}", str(b.pk)]}, follow=True
    )
    html = response.content.decode()
    assert "1 quote(s) accepted" in html and f"Quote #{b.pk} is accepted already" in html
    assert Quote.objects.get(pk=a.pk).status == Status.ACCEPTED
    response = client.post(reverse("review:bulk"), {"decision": "accept"}, follow=True)
    assert "Select at least one quote" in response.content.decode()


def test_mine_shows_outcome_reason_and_reviewer_of_own_quotes_only(
    client, annotator_user, other_annotator, editor_user
):
    mine = submit(make_quote(annotator_user=annotator_user))
    annotation_services.quote_reject(quote=mine, reviewer=editor_user, reason="Speaker <missing>")
    theirs = submit(make_quote(annotator_user=other_annotator))
    annotation_services.quote_reject(quote=theirs, reviewer=editor_user, reason="Someone else's reason")
    client.force_login(annotator_user)
    html = client.get(reverse("review:mine")).content.decode()
    assert "Speaker &lt;missing&gt;" in html and "Rejected" in html and editor_user.username in html
    assert "Someone else" not in html


def test_assignment_views(client, editor_user, annotator_user, other_annotator):
    articles = [ArticleFactory(), ArticleFactory()]
    client.force_login(editor_user)
    response = client.post(
        reverse("review:assignments"),
        {
            "articles": [a.pk for a in articles],
            "annotators": [annotator_user.pk, other_annotator.pk],
            "mode": "spread",
            "per_article": 1,
        },
    )
    assert response.status_code == 302 and Assignment.objects.count() == 2
    assert sorted(Assignment.objects.values_list("annotator_id", flat=True)) == sorted(
        [annotator_user.pk, other_annotator.pk]
    )
    response = client.post(
        reverse("review:assignments"), {"articles": [], "annotators": [annotator_user.pk], "mode": "chosen"}
    )
    assert response.status_code == 400 and "Tick at least one article" in response.content.decode()
    page = client.get(reverse("review:assignments")).content.decode()
    assert "not started" in page and annotator_user.username in page
    assignment = Assignment.objects.first()
    client.post(reverse("review:assignment_delete", args=[assignment.pk]))
    assert Assignment.objects.count() == 1


def test_adjudication_view_aligns_and_merges(client, editor_user, annotator_user, other_annotator):
    article = ArticleFactory()
    a = submit(make_quote(article=article, annotator_user=annotator_user))
    b = submit(make_quote(article=article, annotator_user=other_annotator))
    c = submit(make_quote(article=article, text="The plan is ready.", annotator_user=annotator_user))
    make_mention(article=article, annotator_user=annotator_user, status="submitted")
    client.force_login(editor_user)
    response = client.get(reverse("review:adjudicate", args=[article.pk]))
    rows = response.context["quote_rows"]
    assert [sorted(q.pk for q in r.cells.values()) for r in rows] == [sorted([a.pk, b.pk]), [c.pk]]
    assert rows[0].matching and not rows[1].matching and "missing" in rows[1].differs
    assert "not marked" in response.content.decode()
    response = client.post(
        reverse("review:adjudicate_pick", args=[article.pk]),
        {
            "chosen": a.pk,
            "group": f"{a.pk},{b.pk}",
            "merged": "1",
            f"version_{a.pk}": a.version,
            f"version_{b.pk}": b.version,
        },
    )
    assert response.status_code == 302
    statuses = dict(Quote.objects.annotations().values_list("pk", "status"))
    assert statuses == {a.pk: "accepted", b.pk: "accepted", c.pk: "submitted"}
    (curated,) = Quote.objects.curated()
    assert curated.support_count == 2 and "merged" in Quote.objects.get(pk=b.pk).review_note


def test_agreement_pages_and_csv(client, editor_user, annotator_user, other_annotator):
    article = ArticleFactory(title="=cmd|' /C calc'!A0")
    submit(make_quote(article=article, annotator_user=annotator_user))
    submit(make_quote(article=article, annotator_user=other_annotator))
    submit(make_quote(article=article, text="The plan is ready.", annotator_user=annotator_user))
    client.force_login(editor_user)
    response = client.get(reverse("review:article_agreement", args=[article.pk]))
    pooled = response.context["pooled"]
    assert pooled.quotes_exact.f1 == pytest.approx(2 / 3)
    assert "What each figure counts" in response.content.decode()
    response = client.get(reverse("review:agreement_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    corpus_f1 = [
        r for r in rows if r["scope"] == "corpus" and r["measure"] == "quote_f1_exact" and r["annotator_a"] == "ann"
    ]
    assert corpus_f1[0]["value"] == "0.6667" and corpus_f1[0]["annotator_b"] == "ann2"
    assert all(r["article_title"].startswith("'=") for r in rows if r["scope"] == "article")
    assert client.get(reverse("review:agreement")).context["report"].articles == 1


def test_speaker_merge_view(client, editor_user):
    a, b = SpeakerFactory(name="J. Roe"), SpeakerFactory(name="John Roe")
    client.force_login(editor_user)
    response = client.post(reverse("review:speaker_merge"), {"source": a.pk, "target": a.pk})
    assert response.status_code == 400 and "two different speakers" in response.content.decode()
    confirm = client.post(reverse("review:speaker_merge"), {"source": a.pk, "target": b.pk})
    assert confirm.status_code == 200 and "Merge “J. Roe” into “John Roe”?" in confirm.content.decode()
    assert not SpeakerMerge.objects.exists()  # nothing until confirmed
    response = client.post(
        reverse("review:speaker_merge"), {"source": a.pk, "target": b.pk, "confirm": "1"}, follow=True
    )
    assert "merged into" in response.content.decode() and SpeakerMerge.objects.count() == 1
    merge = SpeakerMerge.objects.get()
    undo = reverse("review:speaker_merge_undo", args=[merge.pk])
    assert undo in response.content.decode()
    response = client.post(undo, follow=True)
    assert "Merge undone" in response.content.decode() and Speaker.objects.filter(pk=a.pk, name="J. Roe").exists()
    assert "undone by" in response.content.decode()
    response = client.post(undo, follow=True)
    assert "undone already" in response.content.decode()


def test_merge_confirmation_shows_each_speakers_wikidata_item_and_attributes(
    client, editor_user, django_assert_max_num_queries
):
    from corpus import services as corpus_services

    painter = SpeakerFactory(name="M. Scott", wikidata_qid="Q9000002")
    legislator = SpeakerFactory(name="Maria Scott", wikidata_qid="Q9000001")
    corpus_services.speaker_attribute_set(speaker=legislator, name="role", value="politician", source="editor")
    client.force_login(editor_user)
    form = client.get(reverse("review:speaker_merge")).content.decode()
    assert "M. Scott (Q9000002)</option>" in form and "Maria Scott (Q9000001)</option>" in form
    with django_assert_max_num_queries(12):
        confirm = client.post(reverse("review:speaker_merge"), {"source": painter.pk, "target": legislator.pk})
    html = unescape(confirm.content.decode())
    assert "linked to different Wikidata items (Q9000002 and Q9000001)" in html
    for speaker in (painter, legislator):
        assert reverse("review:speaker_wikidata", args=[speaker.pk]) in html
    assert 'Role category: <strong>politician</strong> <span class="muted">(Editor\'s judgment)' in html
    assert "takes, with their sources, those of the duplicate it has none of" in html
    unlinked = SpeakerFactory(name="Mary Scott")
    html = client.post(reverse("review:speaker_merge"), {"source": unlinked.pk, "target": legislator.pk}).content
    assert b"different Wikidata items" not in html and b"search Wikidata</a>" in html
    assert not SpeakerMerge.objects.exists()


def test_only_editors_undo_a_merge(client_for, annotator_user, researcher_user, editor_user):
    a, b = SpeakerFactory(name="A. Roe"), SpeakerFactory(name="Ann Roe")
    merge = services.speaker_merge(source=a, target=b, actor=editor_user)
    for user in (annotator_user, researcher_user):
        assert client_for(user).post(reverse("review:speaker_merge_undo", args=[merge.pk])).status_code == 403
    assert client_for(editor_user).get(reverse("review:speaker_merge_undo", args=[merge.pk])).status_code == 405


def make_corpus(n_articles, editor, annotators):
    target = StanceTargetFactory(name="Plan")
    for _ in range(n_articles):
        article = ArticleFactory(tags=["t"])
        for user in annotators:
            quote = submit(make_quote(article=article, annotator_user=user, speaker=SpeakerFactory(), tags=["x"]))
            annotation_services.stance_set(quote=quote, target=target, label="favor", annotator=user)
            make_mention(article=article, annotator_user=user, status="submitted")
        services.assignments_create(articles=[article], annotators=annotators, assigned_by=editor)


@pytest.mark.parametrize("n_articles", [1, 15])
def test_pages_run_bounded_queries(n_articles, client, editor_user, django_assert_max_num_queries):
    users = [annotator(), annotator()]
    make_corpus(n_articles, editor_user, users)
    client.force_login(editor_user)
    article = Quote.objects.first().article
    pages = [
        (reverse("review:index"), 16),
        (reverse("review:index") + "?status=all&tag=x&target=1&stance=favor", 16),
        (reverse("review:agreement"), 13),  # one more: the latest "Recompute" job
        (reverse("review:agreement_csv"), 12),
        (reverse("review:article_agreement", args=[article.pk]), 12),
        (reverse("review:assignments"), 12),
        (reverse("review:adjudicate", args=[article.pk]), 12),
        (reverse("review:quote", args=[Quote.objects.first().pk]), 14),
    ]
    # The first visit recomputes the changed articles' stored agreement (one batch: a fixed number of
    # queries); every later visit reads the stored figures. (One query reads the latest recompute job.)
    with django_assert_max_num_queries(31):
        assert client.get(reverse("review:agreement")).status_code == 200
    for url, limit in pages:
        with django_assert_max_num_queries(limit):
            assert client.get(url).status_code == 200, url
    client.force_login(users[0])
    with django_assert_max_num_queries(10):
        assert client.get(reverse("review:mine")).status_code == 200


@override_settings(BULK_MAX_QUOTES=2)
def test_bulk_view_refuses_a_selection_over_the_limit_and_changes_nothing(client, editor_user, annotator_user):
    article = ArticleFactory()
    quotes = [
        submit(make_quote(article=article, text=text, annotator_user=annotator_user))
        for text in ("We will act,", "The plan is ready.", "Jane Doe")
    ]
    client.force_login(editor_user)
    response = client.post(
        reverse("review:bulk"), {"decision": "accept", "quote": [f"{q.pk}:{q.version}" for q in quotes]}, follow=True
    )
    assert "Select at most 2 quotes at once (got 3)" in response.content.decode()
    assert set(Quote.objects.filter(pk__in=[q.pk for q in quotes]).values_list("status", flat=True)) == {
        Status.SUBMITTED
    }


def test_quote_page_gives_the_correction_script_the_one_mark_set(client, editor_user, annotator_user):
    import json

    from text.marks import EDGE_MARKS

    quote = submit(make_quote(annotator_user=annotator_user))
    client.force_login(editor_user)
    html = client.get(reverse("review:quote", args=[quote.pk])).content.decode()
    script = html.split('<script id="quote-marks" type="application/json">')[1].split("</script>")[0]
    assert json.loads(script) == EDGE_MARKS and "’" in EDGE_MARKS and "‚" in EDGE_MARKS


# --- Proposed Wikidata items ------------------------------------------------------------------------


def _proposal(annotator_user, name="Maria Scott", qid="Q9000001"):
    from corpus import services as corpus_services

    return corpus_services.speaker_create(name=name, wikidata_pick=qid, actor=annotator_user)


@pytest.mark.parametrize("who", ["anonymous", "annotator", "researcher"])
def test_only_editors_see_and_decide_proposals(who, role_users, client_for, annotator_user):
    speaker = _proposal(annotator_user)
    client = client_for(role_users[who])
    expected = 302 if who == "anonymous" else 403
    response = client.get(reverse("review:speaker_wikidata_proposals"))
    assert response.status_code == expected
    for name in ("review:speaker_wikidata_proposal_confirm", "review:speaker_wikidata_proposal_reject"):
        response = client.post(reverse(name, args=[speaker.pk]), {"qid": "Q9000001"})
        assert response.status_code == expected, name
        if who == "anonymous":
            assert response.url.startswith(reverse("login"))
    speaker.refresh_from_db()
    assert (speaker.wikidata_qid, speaker.wikidata_qid_proposed) == ("", "Q9000001")


def test_proposal_decisions_need_post_and_csrf(client, editor_user, annotator_user):
    from django.test import Client

    speaker = _proposal(annotator_user)
    client.force_login(editor_user)
    for name in ("review:speaker_wikidata_proposal_confirm", "review:speaker_wikidata_proposal_reject"):
        assert client.get(reverse(name, args=[speaker.pk]), {"qid": "Q9000001"}).status_code == 405
        strict = Client(enforce_csrf_checks=True)
        strict.force_login(editor_user)
        assert strict.post(reverse(name, args=[speaker.pk]), {"qid": "Q9000001"}).status_code == 403
    speaker.refresh_from_db()
    assert speaker.wikidata_qid_proposed == "Q9000001" and speaker.wikidata_qid == ""


def test_editor_lists_proposals_a_page_at_a_time(client, editor_user, annotator_user, django_assert_max_num_queries):
    for i in range(25):
        _proposal(annotator_user, name=f"Speaker {i:02}", qid=f"Q{100 + i}")
    SpeakerFactory(name="Linked", wikidata_qid="Q5")  # confirmed: not a proposal
    client.force_login(editor_user)
    url = reverse("review:speaker_wikidata_proposals")
    client.get(url)
    with django_assert_max_num_queries(8):  # session, user, groups, count, the page (with who proposed)
        response = client.get(url)
    page = response.context["page"]
    assert page.paginator.count == 25 and len(page.object_list) == 20
    html = response.content.decode()
    assert "Speaker 00" in html and "Q100" in html and "ann" in html and "Linked" not in html
    assert html.count('data-action="confirm"') == 20 and html.count('data-action="reject"') == 20
    assert "Speaker 24" in client.get(url, {"page": 2}).content.decode()
    # The speaker's Wikidata page and the merge page lead to them too.
    speaker = Speaker.objects.get(name="Speaker 00")
    detail = client.get(reverse("review:speaker_wikidata", args=[speaker.pk]) + "?q=x").content.decode()
    assert 'id="wikidata-proposal"' in detail and "Confirm Q100" in detail
    assert url in client.get(reverse("review:speaker_merge")).content.decode()


def test_editor_rejects_a_proposal_with_a_message(client, editor_user, annotator_user):
    speaker = _proposal(annotator_user)
    client.force_login(editor_user)
    url = reverse("review:speaker_wikidata_proposal_reject", args=[speaker.pk])
    response = client.post(url, {"qid": "Q9000001"}, follow=True)
    assert "Rejected: Q9000001 is no longer proposed for Maria Scott; nothing was linked." in unescape(
        response.content.decode()
    )
    speaker.refresh_from_db()
    assert (speaker.wikidata_qid, speaker.wikidata_qid_proposed) == ("", "")
    again = client.post(url, {"qid": "Q9000001"}, follow=True)  # a second editor, a moment later
    assert "Nothing rejected: Maria Scott has no proposed Wikidata item any more" in unescape(again.content.decode())


def test_editor_confirms_a_proposal_which_links_it_with_its_claims(fake, client, editor_user, annotator_user):
    from corpus.models import SpeakerAttribute

    speaker = _proposal(annotator_user)
    client.force_login(editor_user)
    url = reverse("review:speaker_wikidata_proposal_confirm", args=[speaker.pk])
    back = reverse("review:speaker_wikidata", args=[speaker.pk])
    response = client.post(url, {"qid": "Q9000001", "next": back})
    assert response.status_code == 302 and response.url == back
    html = unescape(client.get(back).content.decode())
    assert "Confirmed: Maria Scott is linked to Q9000001." in html and "gender: — → woman" in html
    speaker.refresh_from_db()
    assert (speaker.wikidata_qid, speaker.wikidata_qid_proposed) == ("Q9000001", "")
    gender = SpeakerAttribute.objects.get(speaker=speaker, name="gender")
    assert (gender.source, gender.wikidata_qid, gender.set_by) == ("wikidata", "Q9000001", editor_user)


@pytest.mark.parametrize(
    "qid, message",
    [
        ("Q7", "Nothing confirmed: Q7 is not the item proposed for Maria Scott"),
        ("X1", "Nothing confirmed: “X1” is not a Wikidata QID"),
        ("", "Nothing confirmed: “” is not a Wikidata QID"),
    ],
)
def test_a_confirmation_of_another_item_changes_nothing(fake, client, editor_user, annotator_user, qid, message):
    speaker = _proposal(annotator_user)
    client.force_login(editor_user)
    url = reverse("review:speaker_wikidata_proposal_confirm", args=[speaker.pk])
    response = client.post(url, {"qid": qid}, follow=True)
    assert message in unescape(response.content.decode())
    assert fake.requests == []  # refused before asking Wikidata
    speaker.refresh_from_db()
    assert (speaker.wikidata_qid, speaker.wikidata_qid_proposed) == ("", "Q9000001")


def test_a_confirmation_while_wikidata_is_down_changes_nothing(fake, client, editor_user, annotator_user):
    speaker = _proposal(annotator_user)
    fake.mode = "down"
    client.force_login(editor_user)
    url = reverse("review:speaker_wikidata_proposal_confirm", args=[speaker.pk])
    response = client.post(url, {"qid": "Q9000001"}, follow=True)
    assert "Nothing confirmed: Wikidata could not be reached" in unescape(response.content.decode())
    speaker.refresh_from_db()
    assert (speaker.wikidata_qid, speaker.wikidata_qid_proposed) == ("", "Q9000001")
