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


def test_the_admin_shows_a_proposal_read_only_and_rejects_it_through_the_service(
    client_for, admin_user, annotator_user
):
    from corpus import services

    speaker = services.speaker_create(name="Maria Scott", wikidata_pick="Q9000001", actor=annotator_user)
    client = client_for(admin_user)
    changelist = client.get(reverse("admin:corpus_speaker_changelist"), {"wikidata_proposal": "yes"})
    assert [s.pk for s in changelist.context["cl"].result_list] == [speaker.pk]
    change = client.get(reverse("admin:corpus_speaker_change", args=[speaker.pk]))
    form = change.context["adminform"].form
    assert "wikidata_qid_proposed" not in form.fields  # read-only: decided through the services
    assert "Q9000001" in change.content.decode()
    response = client.post(
        reverse("admin:corpus_speaker_changelist"),
        {"action": "reject_wikidata_proposals", "_selected_action": [speaker.pk]},
        follow=True,
    )
    assert "1 proposal(s) rejected; nothing was linked." in response.content.decode()
    speaker.refresh_from_db()
    assert (speaker.wikidata_qid, speaker.wikidata_qid_proposed) == ("", "")


def test_setting_the_qid_in_the_admin_closes_a_proposal(client_for, admin_user, annotator_user):
    from corpus import services

    speaker = services.speaker_create(name="Maria Scott", wikidata_pick="Q9000001", actor=annotator_user)
    client = client_for(admin_user)
    url = reverse("admin:corpus_speaker_change", args=[speaker.pk])
    data = {
        "name": "Maria Scott",
        "kind": "person",
        "description": "",
        "affiliation": "",
        "wikidata_qid": "Q9000002",
        "tags": "",
        "aliases-TOTAL_FORMS": "1",
        "aliases-INITIAL_FORMS": "1",
        "aliases-0-id": str(speaker.aliases.get().pk),
        "aliases-0-speaker": str(speaker.pk),
        "aliases-0-alias": "Maria Scott",
        "attributes-TOTAL_FORMS": "0",
        "attributes-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    speaker.refresh_from_db()
    assert (speaker.wikidata_qid, speaker.wikidata_qid_proposed, speaker.wikidata_proposed_at) == ("Q9000002", "", None)
