"""factory-boy factories. Spans are built through the services so every fixture row is valid."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import Role
from annotations import services as annotation_services
from annotations.models import EntityMention, Quote, StanceTarget
from corpus.models import Article, Speaker

SAMPLE_BODY = (
    "WASHINGTON — Officials met on Tuesday. “We will act,” Jane Doe said. “The plan is ready.”\n\n"
    "Critics said the plan would fail, according to John Roe of the Civic League."
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pw")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            # get_or_create: transactional tests flush the groups the data migration made.
            self.groups.add(*(Group.objects.get_or_create(name=str(r))[0] for r in extracted))
        if create:
            self.save()


def annotator(**kwargs):
    return UserFactory(roles=[Role.ANNOTATOR], **kwargs)


def editor(**kwargs):
    return UserFactory(roles=[Role.EDITOR], **kwargs)


def researcher(**kwargs):
    return UserFactory(roles=[Role.RESEARCHER], **kwargs)


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    outlet = "The Daily Test"
    dateline = "WASHINGTON"
    published = factory.Faker("date_between", start_date="-2y", end_date="today")
    body = SAMPLE_BODY
    language = "en"

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(list(extracted))


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Speaker {n}")
    kind = Speaker.Kind.PERSON


class StanceTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StanceTarget
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Target {n}")


def find_span(body: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """Offsets of the ``occurrence``-th ``needle`` in ``body`` (code points)."""
    start = -1
    for _ in range(occurrence + 1):
        start = body.index(needle, start + 1)
    return start, start + len(needle)


def make_quote(
    *,
    article: Article | None = None,
    text: str | None = None,
    annotator_user=None,
    speaker=None,
    kind: str = Quote.Kind.DIRECT,
    cue: str | None = None,
    **kwargs,
) -> Quote:
    """A quote on ``text`` (default: the first direct quote of SAMPLE_BODY), built through the services."""
    article = article or ArticleFactory()
    text = text or "We will act,"
    span = find_span(article.body, text)
    cue_span = find_span(article.body, cue) if cue else None
    return annotation_services.quote_create(
        article=article,
        spans=[span],
        annotator=annotator_user or annotator(),
        speaker=speaker,
        kind=kind,
        cue=cue_span,
        **kwargs,
    )


def make_mention(
    *, article: Article | None = None, text: str = "Jane Doe", label: str = "PERSON", annotator_user=None, **kwargs
) -> EntityMention:
    article = article or ArticleFactory()
    start, end = find_span(article.body, text)
    return annotation_services.entity_mention_create(
        article=article, start=start, end=end, label=label, annotator=annotator_user or annotator(), **kwargs
    )


def curated_quote(
    *, text: str, outlet: str = "The Daily Test", published=None, speaker=None, reviewer=None, **kwargs
) -> Quote:
    """A curated quote of ``text`` (alone in a new article of ``outlet``), accepted through the services as an
    editor accepts one: the curated layer's signal places it in its cluster."""
    body = f"Officials met on Tuesday. “{text}” she said."
    article = ArticleFactory(body=body, outlet=outlet, **({"published": published} if published else {}), **kwargs)
    quote = make_quote(article=article, text=text, speaker=speaker)
    quote = annotation_services.quote_submit(quote=quote, actor=quote.annotator)
    accepted = annotation_services.quote_accept(quote=quote, reviewer=reviewer or editor())
    assert accepted.curated is not None
    return accepted.curated


def published_release(
    *, user, name: str = "corpus", version: str = "1.0.0", payload: bytes = b"zip bytes", datasheet: str = "# corpus"
):
    """A published release row with a small stored file, without a build (for pages and permissions)."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from releases.models import Release, release_storage

    stored = release_storage().save(f"releases/{name}-{version}.zip", ContentFile(payload))
    return Release.objects.create(
        name=name,
        version=version,
        status=Release.Status.PUBLISHED,
        file=stored,
        size=len(payload),
        sha256=hashlib.sha256(payload).hexdigest(),
        manifest={"files": [{"path": "README.md", "size": 1, "sha256": "0" * 64}]},
        datasheet=datasheet,
        counts={"quotes": 1},
        created_by=user,
        published=timezone.now(),
    )
