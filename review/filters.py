"""The review section's list filters. The queue's is ``annotations.filters.QuoteFilter``; the
assignment page finds articles with the annotators' ``ArticleListFilter``. A value the filter cannot
read (``status=zzz``) selects nothing and the page shows the form's errors."""

import django_filters

from annotations.filters import StrictFilterSet
from annotations.models import Quote, Status

REVIEWED = [Status.ACCEPTED, Status.REJECTED]


class ReviewedQuoteFilter(StrictFilterSet):
    """An annotator's reviewed quotes (``selectors.my_reviewed_quotes``) by outcome."""

    status = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in REVIEWED], empty_label="All reviewed", label="Outcome"
    )

    class Meta:
        model = Quote
        fields: list[str] = []
