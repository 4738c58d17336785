import pytest
from django.core.exceptions import ValidationError

from annotations.forms import MentionForm, clean_span, errors_dict
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
