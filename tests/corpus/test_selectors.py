import pytest

from corpus import services
from corpus.models import Speaker
from corpus.selectors import speaker_named, speakers_named

pytestmark = pytest.mark.django_db


def test_aliases_find_the_one_speaker():
    trump = services.speaker_create(name="Donald Trump", aliases=["Mr. Trump", "President Trump"])
    assert speaker_named("mr trump").speaker == trump
    assert speaker_named("PRESIDENT TRUMP").speaker == trump
    nobody = speaker_named("Nobody")
    assert nobody.speaker is None and not nobody.ambiguous and nobody.speakers == ()


def test_a_name_two_speakers_share_is_ambiguous():
    services.speaker_create(name="Jane Doe", aliases=["Dr. Doe"])
    # an admin-made speaker without aliases is still found by its name, ignoring case
    other = Speaker.objects.create(name="Dr Doe")
    match = speaker_named("dr doe")
    assert match.ambiguous and match.speaker is None and other in match.speakers


def test_bulk_lookup_costs_three_queries_whatever_the_number_of_names(django_assert_num_queries):
    a = services.speaker_create(name="Ann Lee", aliases=["Ms. Lee"])
    b = services.speaker_create(name="Bo Chan")
    names = ["ms lee", "BO CHAN", "Nobody", "...", *[f"Name {i}" for i in range(20)]]
    with django_assert_num_queries(3):
        found = speakers_named(names)
    assert found["ms lee"].speaker == a and found["BO CHAN"].speaker == b
    assert found["Nobody"].speaker is None and found["..."].speaker is None
    assert set(found) == set(names)


def test_no_names_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert speakers_named([]) == {}
