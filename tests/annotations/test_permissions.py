import pytest

from annotations import services
from annotations.models import Status
from annotations.permissions import can_annotate, can_change
from tests.factories import StanceTargetFactory, make_quote

pytestmark = pytest.mark.django_db


def test_who_may_annotate(annotator_user, editor_user, researcher_user, admin_user):
    assert can_annotate(annotator_user) and can_annotate(editor_user) and can_annotate(admin_user)
    assert not can_annotate(researcher_user)


def test_annotators_change_their_own_work_until_it_is_accepted(annotator_user, other_annotator, editor_user):
    quote = make_quote(annotator_user=annotator_user)
    stance = services.stance_set(quote=quote, target=StanceTargetFactory(), label="favor", annotator=annotator_user)
    assert can_change(annotator_user, quote) and can_change(annotator_user, stance)
    assert not can_change(other_annotator, quote) and not can_change(other_annotator, stance)
    quote.status = Status.ACCEPTED
    stance.quote.status = Status.ACCEPTED
    assert not can_change(annotator_user, quote) and not can_change(annotator_user, stance)
    assert can_change(editor_user, quote) and can_change(editor_user, stance)


def test_a_researcher_changes_nothing(researcher_user):
    quote = make_quote()
    assert not can_change(researcher_user, quote)
