"""Speaker attributes: each value validated, each source with its provenance."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from corpus import services
from corpus.models import Speaker, SpeakerAttribute
from tests import factories

pytestmark = pytest.mark.django_db

UTC = datetime.UTC


@pytest.fixture
def scott():
    return services.speaker_create(name="Maria Scott")


def test_described_in_the_article_keeps_the_words_and_the_span(scott):
    article = factories.ArticleFactory(body="“We are ready,” Ms. Scott said. She added nothing.")
    start = article.body.index("Ms. Scott")
    attribute = services.speaker_attribute_set(
        speaker=scott, name="gender", value="woman", source="article", article=article, span=(start, start + 9)
    )
    assert (attribute.evidence, attribute.article, attribute.span_start) == ("Ms. Scott", article, start)
    with pytest.raises(ValidationError, match="needs the article"):
        services.speaker_attribute_set(speaker=scott, name="gender", value="woman", source="article")
    with pytest.raises(ValidationError, match="not inside the article"):
        services.speaker_attribute_set(
            speaker=scott, name="gender", value="woman", source="article", article=article, span=(5, 5000)
        )


def test_wikidata_needs_the_qid_and_the_retrieval_date(scott):
    with pytest.raises(ValidationError, match="QID and the retrieval date"):
        services.speaker_attribute_set(speaker=scott, name="party", value="Green", source="wikidata")
    when = datetime.datetime(2026, 1, 2, tzinfo=UTC)
    attribute = services.speaker_attribute_set(
        speaker=scott, name="party", value="Green", source="wikidata", wikidata_qid="Q42", retrieved_at=when
    )
    assert (attribute.wikidata_qid, attribute.retrieved_at) == ("Q42", when)
    with pytest.raises(ValidationError):
        services.speaker_attribute_set(
            speaker=scott, name="party", value="Green", source="wikidata", wikidata_qid="42", retrieved_at=when
        )


def test_gender_values_and_not_applicable_only_for_organizations_and_groups(scott, editor_user):
    agency = services.speaker_create(name="The Agency", kind=Speaker.Kind.ORGANIZATION)
    with pytest.raises(ValidationError, match="Gender is one of"):
        services.speaker_attribute_set(speaker=scott, name="gender", value="female", source="editor")
    with pytest.raises(ValidationError, match="not applicable"):
        services.speaker_attribute_set(speaker=scott, name="gender", value="not-applicable", source="editor")
    with pytest.raises(ValidationError, match="not applicable"):
        services.speaker_attribute_set(speaker=agency, name="gender", value="man", source="editor")
    services.speaker_attribute_set(speaker=agency, name="gender", value="not-applicable", source="editor")
    one = services.speaker_attribute_set(
        speaker=scott, name="gender", value="unknown", source="editor", actor=editor_user
    )
    two = services.speaker_attribute_set(speaker=scott, name="gender", value="non-binary", source="import")
    assert one.pk == two.pk and SpeakerAttribute.objects.filter(speaker=scott).count() == 1  # replaced
    assert (two.value, two.source, two.set_by) == ("non-binary", "import", None)


def test_role_comes_from_the_codebook_and_free_text_is_trimmed(scott):
    with pytest.raises(ValidationError, match="not a role of the codebook"):
        services.speaker_attribute_set(speaker=scott, name="role", value="astronaut", source="editor")
    assert services.speaker_attribute_set(speaker=scott, name="role", value="expert", source="editor").value == "expert"
    assert (
        services.speaker_attribute_set(speaker=scott, name="country", value="  Ghana ", source="editor").value
        == "Ghana"
    )
    with pytest.raises(ValidationError, match="Give a value"):
        services.speaker_attribute_set(speaker=scott, name="employer", value="  ", source="editor")
    with pytest.raises(ValidationError, match="Unknown speaker attribute"):
        services.speaker_attribute_set(speaker=scott, name="height", value="tall", source="editor")
    with pytest.raises(ValidationError, match="not a valid choice"):
        services.speaker_attribute_set(speaker=scott, name="country", value="Ghana", source="first-name")


def test_the_database_refuses_an_article_source_without_a_span(scott):
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerAttribute.objects.create(speaker=scott, name="gender", value="woman", source="article")


def test_editors_review_attributes_in_the_admin_with_the_same_rules(client_for, admin_user, scott):
    from django.urls import reverse

    from tests.annotations.test_history import _admin_post_data

    client = client_for(admin_user)
    url = reverse("admin:corpus_speaker_change", args=[scott.pk])
    data = _admin_post_data(client.get(url))
    data.update(
        {
            "attributes-TOTAL_FORMS": "1",
            "attributes-0-name": "gender",
            "attributes-0-value": "woman",
            "attributes-0-source": "article",
            "attributes-0-speaker": str(scott.pk),
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200 and "needs the article" in response.content.decode()
    assert not SpeakerAttribute.objects.exists()
    data["attributes-0-source"] = "editor"
    assert client.post(url, data).status_code == 302
    attribute = SpeakerAttribute.objects.get()
    assert (attribute.value, attribute.source, attribute.set_by) == ("woman", "editor", admin_user)


def test_attributes_given_with_a_new_speaker_take_the_one_source_they_have(scott, annotator_user, editor_user):
    article = factories.ArticleFactory(body="“We are ready,” Ms. Scott said.")
    start = article.body.index("Ms. Scott")
    rows = services.speaker_attributes_record(
        speaker=scott,
        values={"gender": "woman", "role": " "},
        actor=annotator_user,
        article=article,
        span=(start, start + 9),
    )
    assert [(a.name, a.value, a.source, a.evidence) for a in rows] == [("gender", "woman", "article", "Ms. Scott")]
    judged = services.speaker_attributes_record(
        speaker=scott, values={"role": "politician"}, actor=editor_user, judged=True
    )
    assert [(a.source, a.set_by, a.article) for a in judged] == [("editor", editor_user, None)]
    with pytest.raises(ValidationError, match="recorded with their source"):
        services.speaker_attributes_record(speaker=scott, values={"gender": "man"}, actor=annotator_user)
    with pytest.raises(ValidationError, match="Only gender and role"):
        services.speaker_attributes_record(speaker=scott, values={"party": "Green"}, actor=editor_user, judged=True)
    assert services.speaker_attributes_record(speaker=scott, values={"gender": ""}, actor=annotator_user) == []
    assert SpeakerAttribute.objects.get(speaker=scott, name="gender").source == "article"  # unchanged
