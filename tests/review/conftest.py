import pytest

from annotations import services as annotation_services
from tests.factories import make_quote


def submit(quote):
    return annotation_services.quote_submit(quote=quote, actor=quote.annotator)


@pytest.fixture
def submitted_quote(article, annotator_user):
    return submit(make_quote(article=article, annotator_user=annotator_user, cue="said"))
