import pytest
from django.core.exceptions import ValidationError

from annotations.forms import MentionForm, QuoteForm, clean_span, errors_dict
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", [[1], [1, 2, 3], ["1", 2], [True, 2], "1-2", {"a": 1}])
def test_a_span_is_a_pair_of_whole_numbers(value):
    with pytest.raises(ValidationError, match="pair of whole numbers"):
        clean_span(value, "cue")


def test_an_empty_span_is_none_and_a_pair_is_kept():
    assert clean_span(None, "cue") is None and clean_span([], "cue") is None
    assert clean_span((3, 7), "cue") == [3, 7]


def test_mention_text_must_match_the_article():
    article = ArticleFactory(body="Jane Doe spoke.")
    good = MentionForm({"start": 0, "end": 8, "text": "Jane Doe", "label": "PERSON"}, article=article)
    assert good.is_valid(), good.errors
    bad = MentionForm({"start": 0, "end": 8, "text": "John Roe", "label": "PERSON"}, article=article)
    assert not bad.is_valid()
    assert "does not match the article" in errors_dict(bad)["__all__"][0]


def test_partial_mention_form_requires_nothing():
    form = MentionForm({"label": "ORG"}, article=ArticleFactory(), partial=True)
    assert form.is_valid() and form.cleaned_data["label"] == "ORG"


@pytest.mark.parametrize("sent", [{"spans": None}, {"kind": None}, {"kind": ""}, {"spans": []}])
def test_partial_quote_form_refuses_a_required_field_sent_empty(sent):
    """Left out is unchanged; sent empty is refused (it was a 500 in the service: schemathesis)."""
    form = QuoteForm({"version": 1, **sent}, article=ArticleFactory(), partial=True)
    assert not form.is_valid()
    assert set(errors_dict(form)) == set(sent)


def test_partial_quote_form_changes_only_what_is_sent():
    form = QuoteForm({"version": 1, "kind": "mixed"}, article=ArticleFactory(), partial=True)
    assert form.is_valid(), form.errors
    assert form.service_fields() == {"kind": "mixed"}
