from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from annotations.models import EntityMention, Quote, QuoteSpan, Stance, Status
from corpus.models import Article, Speaker
from corpus.selectors import speaker_named

SEED_FILE = Path(settings.BASE_DIR) / "fixtures" / "seed" / "ice-signals-mass-arrests.txt"
SHARED_SEED = Path(settings.BASE_DIR).parent / "shared" / "seed" / "ice-signals-mass-arrests.txt"

pytestmark = pytest.mark.django_db


@pytest.fixture
def seed(db):
    call_command("load_seed", verbosity=0)
    return Article.objects.get(slug="ice-signals-mass-immigration-arrests")


def seed_title_and_body() -> tuple[bytes, bytes]:
    raw = SEED_FILE.read_bytes()
    title, _, body = raw.partition(b"\n\n")
    return title, body


def test_repo_copy_of_seed_text_is_byte_identical_to_shared_when_present():
    # The repo must not need ../shared; when it is there (development, CI), the copy must match it.
    if SHARED_SEED.exists():
        assert SEED_FILE.read_bytes() == SHARED_SEED.read_bytes()
    assert SEED_FILE.stat().st_size == 6066


def test_fixture_body_equals_seed_file_body_byte_for_byte(seed):
    title, body = seed_title_and_body()
    assert seed.body.encode("utf-8") == body
    assert seed.title.encode("utf-8") == title
    assert (seed.outlet, seed.dateline, str(seed.published), seed.byline) == (
        "The New York Times",
        "WASHINGTON",
        "2019-06-18",
        "",
    )


def test_every_span_text_equals_its_slice(seed):
    body = seed.body
    spans = list(QuoteSpan.objects.filter(quote__article=seed))
    assert spans
    for span in spans:
        assert body[span.start : span.end] == span.text
    for quote in Quote.objects.filter(article=seed):
        if quote.cue_start is not None:
            assert body[quote.cue_start : quote.cue_end] == quote.cue_text
        if quote.speaker_mention_start is not None:
            assert body[quote.speaker_mention_start : quote.speaker_mention_end] == quote.speaker_mention_text
    for mention in EntityMention.objects.filter(article=seed):
        assert body[mention.start : mention.end] == mention.text


def test_seed_has_every_kind_of_quote_accepted_with_speaker_and_cue(seed):
    quotes = Quote.objects.filter(article=seed)
    assert set(quotes.values_list("kind", flat=True)) == {"direct", "indirect", "mixed"}
    assert (
        quotes.count() == quotes.filter(status=Status.ACCEPTED, speaker__isnull=False, cue_start__isnull=False).count()
    )
    split = quotes.curated().get(text__startswith="They know. They know,")
    assert split.spans.count() == 2 and split.speaker.name == "Donald Trump" and split.cue_text == "said"
    assert Stance.objects.filter(quote__article=seed, label="against").exists()
    assert Stance.objects.filter(quote__article=seed, label="favor").exists()


def test_seed_speakers_resolve_by_alias(seed):
    assert speaker_named("Mr. Trump").speaker.wikidata_qid == "Q22686"
    assert speaker_named("president trump").speaker.name == "Donald Trump"
    assert speaker_named("Mr Vitiello").speaker.name == "Ronald D. Vitiello"
    assert EntityMention.objects.filter(article=seed, label="PERSON", text="Mark Morgan").exists()
    assert EntityMention.objects.curated().filter(article=seed, label="GPE", text="Florida").count() == 2


def test_seed_is_curated_with_seed_annotator_as_the_supporter(seed):
    curated = Quote.objects.curated().filter(article=seed)
    assert curated.count() == 17 and EntityMention.objects.curated().filter(article=seed).count() == 45
    assert set(curated.values_list("support_count", "supported_by")) == {(1, "seed-annotator")}
    for quote in curated.prefetch_related("supporters"):
        (supporter,) = quote.supporters.all()
        assert supporter.layer == "annotation" and supporter.span_offsets == quote.span_offsets
    assert Stance.objects.filter(quote__in=curated).count() == 12


def test_loading_the_seed_twice_changes_nothing(seed):
    before = (Quote.objects.count(), EntityMention.objects.count(), Speaker.objects.count(), Stance.objects.count())
    call_command("load_seed", verbosity=0)
    after = (Quote.objects.count(), EntityMention.objects.count(), Speaker.objects.count(), Stance.objects.count())
    assert before == after


def test_seed_speakers_have_gender_and_role_with_their_sources(seed):
    from corpus.models import SpeakerAttribute

    trump = SpeakerAttribute.objects.get(speaker__name="Donald Trump", name="gender")
    assert (trump.value, trump.source, trump.evidence) == ("man", "article", "Mr. Trump")
    assert seed.body[trump.span_start : trump.span_end] == "Mr. Trump"
    morgan = SpeakerAttribute.objects.get(speaker__name="Mark Morgan", name="gender")
    assert (morgan.value, morgan.source, morgan.evidence) == ("man", "article", "He")
    groups = SpeakerAttribute.objects.filter(name="gender", speaker__kind__in=["organization", "group"])
    assert set(groups.values_list("value", "source")) == {("not-applicable", "editor")}
    assert SpeakerAttribute.objects.filter(name="gender").count() == Speaker.objects.count() == 10
    roles = dict(SpeakerAttribute.objects.filter(name="role").values_list("speaker__name", "value"))
    assert roles["Donald Trump"] == "politician" and roles["Mark Morgan"] == "government-official"
    assert "Critics of Barack Obama" not in roles  # not known: counted as unknown, never guessed


def test_rows_created_after_the_seed_get_new_ids(seed, annotator_user):
    # The seed's rows carry fixed ids; on PostgreSQL the loader must move each sequence past them.
    from annotations import services
    from corpus.services import speaker_create
    from tests.factories import find_span

    speaker = speaker_create(name="A speaker after the seed")
    quote = services.quote_create(
        article=seed, spans=[find_span(seed.body, "mass arrests")], annotator=annotator_user, speaker=speaker
    )
    assert speaker.pk > max(Speaker.objects.exclude(pk=speaker.pk).values_list("pk", flat=True))
    assert quote.pk > max(Quote.objects.exclude(pk=quote.pk).values_list("pk", flat=True))
    assert quote.events.count() == 1
