"""The span rules hold in the database too, whatever code writes the rows."""

import pytest
from django.db import IntegrityError, transaction

from annotations.models import EntityMention, Quote, QuoteSpan
from tests.factories import make_quote

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("start, end", [(5, 5), (9, 3)])
def test_database_refuses_empty_or_reversed_mentions(article, annotator_user, start, end):
    with pytest.raises(IntegrityError), transaction.atomic():
        EntityMention.objects.create(
            article=article, start=start, end=end, text="x", label="PERSON", annotator=annotator_user
        )


def test_database_refuses_half_a_cue(article, annotator_user):
    quote = make_quote(article=article, annotator_user=annotator_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(cue_start=3, cue_end=None)


def test_database_refuses_accepted_quote_without_reviewer(article, annotator_user):
    quote = make_quote(article=article, annotator_user=annotator_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Quote.objects.filter(pk=quote.pk).update(status="accepted")


def test_database_refuses_duplicate_span_position(article, annotator_user):
    quote = make_quote(article=article, annotator_user=annotator_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        QuoteSpan.objects.create(quote=quote, position=0, start=1, end=2, text="x")
