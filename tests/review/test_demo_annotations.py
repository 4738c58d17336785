import pytest
from django.core.management import CommandError, call_command

from annotations.models import Quote, Stance, Status
from review.models import Assignment
from review.selectors import assigned_article_ids

pytestmark = pytest.mark.django_db


def test_demo_annotations_need_the_seed_and_accounts():
    with pytest.raises(CommandError, match="load_seed"):
        call_command("demo_annotations")


def test_demo_annotations_give_the_editor_a_queue_with_disagreements_once(capsys):
    call_command("load_seed", verbosity=0)
    call_command("demo_accounts")
    call_command("demo_annotations")
    submitted = Quote.objects.annotations().filter(status=Status.SUBMITTED)
    assert submitted.filter(annotator__username="annotator").count() == 12
    assert submitted.filter(annotator__username="annotator2").count() == 12
    first = set(submitted.filter(annotator__username="annotator").values_list("span_offsets", flat=True))
    second = set(submitted.filter(annotator__username="annotator2").values_list("span_offsets", flat=True))
    assert first & second and first - second and second - first  # agreement and disagreement both
    assert Stance.objects.filter(quote__status=Status.SUBMITTED).exists()
    assert Assignment.objects.count() == 2
    before = Quote.objects.count()
    call_command("demo_annotations")
    assert Quote.objects.count() == before and "nothing changed" in capsys.readouterr().out
    from django.contrib.auth import get_user_model

    annotator = get_user_model().objects.get(username="annotator")
    assert assigned_article_ids(annotator) == list(
        Assignment.objects.filter(annotator=annotator).values_list("article_id", flat=True)
    )


def test_demo_annotators_tag_entities_with_partial_overlap():
    call_command("load_seed", verbosity=0)
    call_command("demo_accounts")
    call_command("demo_annotations")
    from annotations.models import EntityMention

    mine = set(EntityMention.objects.filter(annotator__username="annotator").values_list("start", "end"))
    theirs = set(EntityMention.objects.filter(annotator__username="annotator2").values_list("start", "end"))
    assert len(mine) == 30 and len(theirs) == 35 and len(mine & theirs) == 20
